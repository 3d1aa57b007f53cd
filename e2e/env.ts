// Where the end-to-end servers run and how to sign in to them; shared by the config and tests.

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8099);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** A second server whose access tokens live 3 seconds, for the silent-refresh test only. */
export const SHORT_TOKEN_PORT = Number(process.env.E2E_SHORT_TOKEN_PORT ?? E2E_PORT - 1);
export const SHORT_TOKEN_URL = `http://127.0.0.1:${SHORT_TOKEN_PORT}`;
export const SHORT_TOKEN_TTL = 3;
/** The Stalwart-like stand-in (e2e/stalwart/), serving the console too, for e2e/stalwart.spec.ts. */
export const STALWART_PORT = Number(process.env.STALWART_PORT ?? E2E_PORT - 2);
export const STALWART_URL = `http://127.0.0.1:${STALWART_PORT}`;

/** A server that runs the mail daemons (Postfix and Dovecot, started on boot) on loopback ports, for e2e/mail.spec.ts. */
export const MAIL_PORT = Number(process.env.E2E_MAIL_PORT ?? E2E_PORT - 3);
export const MAIL_URL = `http://127.0.0.1:${MAIL_PORT}`;
export const MAIL_PORTS = { smtp: MAIL_PORT - 60, submission: MAIL_PORT - 59, imap: MAIL_PORT - 58, imaps: MAIL_PORT - 57, sieve: MAIL_PORT - 61 };

export const ADMIN = { username: 'admin', password: 'e2e-admin-Passw0rd' };
