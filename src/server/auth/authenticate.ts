// Turns an Authorization header into a Caller. Verified Basic credentials are remembered
// (by a hash of the header) so that scrypt runs once per client, not once per request, and
// a write elsewhere does not make every client pay for it again.
//
// Two caches, invalidated separately:
// - `verified`: header → the account and the password hash the password was checked
//   against. Each hit re-reads the account (one indexed row), so a changed password, a
//   renamed or deleted account takes effect on the very next request, whichever process
//   wrote it, and nothing else is forgotten.
// - `callers`: account → its permissions, resolved at a given modseq of x:Account and
//   x:Role. Any write to either re-resolves them lazily (the role graph walk is cheap),
//   without touching `verified`: no password is hashed again.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/records';
import { callerFor, signInName, type Caller } from './caller';
import { accountIdBySignInName, accountSecrets } from './signIn';
import { dummyHash, verifyPassword } from './passwords';
import { hashApiSecret, parseApiKey } from './apiKeys';

/** How a request proved who it is: `missing` is no credentials at all, `invalid` wrong ones. */
/** `expired` is a genuine access token past its lifetime: the console refreshes, nobody is counted. */
export type AuthResult = { caller: Caller } | { error: 'missing' | 'invalid' | 'expired' };

export interface AuthenticatorOptions {
  /** Checks a password against a stored hash (scrypt); replaceable so tests can count calls. */
  verifyPassword?: (password: string, hash: string) => Promise<boolean>;
}

/** A remembered Basic credential: valid while the account still signs in by this name and has this secret. */
interface Verified {
  accountId: string;
  name: string;
  hash: string;
  expires: number;
}

const TTL_MS = 5 * 60_000;
const MAX_VERIFIED = 10_000;

/** The username of a Basic Authorization header, if it is one. */
export function basicUsername(header: string | undefined): string | undefined {
  return parseBasic(header)?.username;
}

/** Username and password of a Basic Authorization header, or null when it is not one. */
function parseBasic(header: string | undefined): { username: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : null;
}


export class Authenticator {
  private readonly verified = new Map<string, Verified>();
  /** Checks in progress by header: clients sharing credentials wait for one scrypt. */
  private readonly inFlight = new Map<string, Promise<Verified | null>>();
  private readonly callers = new Map<string, { caller: Caller; version: string }>();
  private readonly verify: (password: string, hash: string) => Promise<boolean>;

  /** Set once OAuth is up: checks an access token, returning its account id. */
  verifyAccessToken: (token: string) => Promise<string | 'expired' | null> = async () => null;

  constructor(
    private readonly store: Store,
    options: AuthenticatorOptions = {},
  ) {
    this.verify = options.verifyPassword ?? verifyPassword;
  }

  async authenticate(header: string | undefined): Promise<AuthResult> {
    if (!header) return { error: 'missing' };
    const bearer = /^Bearer\s+(\S{1,4096})\s*$/i.exec(header);
    const caller = bearer ? await this.bearer(bearer[1]) : await this.basic(header);
    if (caller === 'expired') return { error: 'expired' };
    return caller ? { caller } : { error: 'invalid' };
  }

  private async bearer(token: string): Promise<Caller | 'expired' | null> {
    const key = parseApiKey(token);
    if (key) {
      // Read on every request: a destroyed or expired key stops working at once.
      const record = this.store.get('x:ApiKey', key.id);
      if (!record || typeof record.secret !== 'string') return null;
      const want = Buffer.from(record.secret), got = Buffer.from(hashApiSecret(key.secret));
      if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
      if (typeof record.expiresAt === 'string' && Date.parse(record.expiresAt) <= Date.now()) return null;
      return this.caller(String(record.accountId));
    }
    const accountId = await this.verifyAccessToken(token);
    if (accountId === 'expired') return 'expired';
    return accountId ? this.caller(accountId) : null;
  }

  private async basic(header: string): Promise<Caller | null> {
    const key = createHash('sha256').update(header).digest('base64');
    const hit = this.verified.get(key);
    if (hit && hit.expires > Date.now() && this.stillValid(hit)) return this.caller(hit.accountId);
    if (hit) this.verified.delete(key);
    let pending = this.inFlight.get(key);
    if (!pending) {
      const credentials = parseBasic(header);
      if (!credentials) return null;
      pending = this.check(credentials.username, credentials.password).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const checked = await pending;
    // The password may have changed while scrypt ran: it must still be the one checked.
    if (!checked || !this.stillValid(checked)) return null;
    if (!this.verified.has(key) && this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, checked);
    return this.caller(checked.accountId);
  }

  /** Whether the account still exists, still signs in by that name and still has that very secret (not expired). */
  private stillValid(v: Verified): boolean {
    const account = this.store.get('x:Account', v.accountId);
    return !!account && signInName(account).toLowerCase() === v.name.toLowerCase() && accountSecrets(account).includes(v.hash);
  }

  /**
   * The account and the secret the password matched, if one of its usable credentials
   * (passwords and app passwords not expired) takes it; an unknown user costs one check too.
   */
  private async check(name: string, password: string): Promise<Verified | null> {
    const id = accountIdBySignInName(this.store, name);
    const secrets = id ? accountSecrets(this.store.get('x:Account', id)) : [];
    if (!id || secrets.length === 0) {
      await this.verify(password, dummyHash());
      return null;
    }
    for (const hash of secrets) {
      if (await this.verify(password, hash)) return { accountId: id, name, hash, expires: Date.now() + TTL_MS };
    }
    return null;
  }

  /** The account id if the password is right (the OAuth sign-in form). */
  async checkPassword(name: string, password: string): Promise<string | null> {
    const checked = await this.check(name, password);
    return checked && this.stillValid(checked) ? checked.accountId : null;
  }

  /** The account's caller as of now, or null when it is not (or no longer) a user. */
  caller(accountId: string): Caller | null {
    const version = `${this.store.modseq('x:Account')}:${this.store.modseq('x:Role')}`;
    const cached = this.callers.get(accountId);
    if (cached?.version === version) return cached.caller;
    const found = callerFor(this.store, accountId);
    if (!found) {
      this.callers.delete(accountId);
      return null;
    }
    // The same object when nothing it holds changed: what is keyed on it (the session
    // state) stays valid.
    const caller = cached && sameCaller(cached.caller, found) ? cached.caller : found;
    // Not remembered from inside a transaction: a rollback could bring that modseq back with other data.
    if (this.store.db.inTransaction) return caller;
    if (!cached && this.callers.size >= MAX_VERIFIED) this.callers.delete(this.callers.keys().next().value!);
    this.callers.set(accountId, { caller, version });
    return caller;
  }
}

function sameCaller(a: Caller, b: Caller): boolean {
  if (a.name !== b.name || a.permissions.size !== b.permissions.size) return false;
  for (const p of a.permissions) if (!b.permissions.has(p)) return false;
  return true;
}
