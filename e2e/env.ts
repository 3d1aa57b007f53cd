// Where the end-to-end server runs and how to sign in to it; shared by the config and tests.

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8099);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const ADMIN = { username: 'admin', password: 'e2e-admin-Passw0rd' };
