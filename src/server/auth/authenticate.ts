// Turns an Authorization header into a Caller. Verified credentials are remembered
// (by a hash of the header) so that scrypt runs once per client, not once per request.

import { createHash } from 'node:crypto';
import type { Store } from '../store/records';
import { callerFor, type Caller } from './caller';
import { dummyHash, verifyPassword } from './passwords';
import { hashApiSecret, parseApiKey } from './apiKeys';
import { timingSafeEqual } from 'node:crypto';

/** How a request proved who it is: `missing` is no credentials at all, `invalid` wrong ones. */
/** `expired` is a genuine access token past its lifetime: the console refreshes, nobody is counted. */
export type AuthResult = { caller: Caller } | { error: 'missing' | 'invalid' | 'expired' };

const TTL_MS = 5 * 60_000;

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
  private readonly verified = new Map<string, { accountId: string; expires: number }>();
  private readonly callers = new Map<string, Caller>();

  /** Set once OAuth is up: checks an access token, returning its account id. */
  verifyAccessToken: (token: string) => Promise<string | 'expired' | null> = async () => null;

  constructor(private readonly store: Store) {
    // Password, role or membership changes take effect on the next request.
    store.onChange((types) => {
      if (types.has('x:Account') || types.has('x:Role') || types.has('x:ApiKey')) {
        this.verified.clear();
        this.callers.clear();
      }
    });
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
    if (hit && hit.expires > Date.now()) return this.caller(hit.accountId);
    const credentials = parseBasic(header);
    if (!credentials) return null;
    const accountId = await this.checkPassword(credentials.username, credentials.password);
    if (!accountId) return null;
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(key, { accountId, expires: Date.now() + TTL_MS });
    return this.caller(accountId);
  }

  /** The account id if the password is right; the same work is done for unknown users. */
  async checkPassword(name: string, password: string): Promise<string | null> {
    const id = this.store.findBy('x:Account', 'name', name);
    const account = id ? this.store.get('x:Account', id) : null;
    const hash = account?.['@type'] === 'User' && typeof account.password === 'string' ? account.password : null;
    const ok = await verifyPassword(password, hash ?? dummyHash());
    return ok && hash ? id : null;
  }

  caller(accountId: string): Caller | null {
    let c = this.callers.get(accountId);
    if (!c) {
      const found = callerFor(this.store, accountId);
      if (!found) return null;
      c = found;
      this.callers.set(accountId, c);
    }
    return c;
  }
}
