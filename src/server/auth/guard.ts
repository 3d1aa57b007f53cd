// Allowed and blocked addresses, with their real effect: requests from a blocked
// address are refused; authentication failures are counted per address and, past a
// threshold, the address gets an x:BlockedIp record. An unexpired x:AllowedIp match is
// never blocked, and neither is an address an administrator is working from.
//
// A change to either list takes effect at once (the store tells us, also of writes by
// another process such as the `unblock` command, within a second).

import { canonicalIpMask, maskContains, parseIpMask, type IpMask } from '../../shared/ipmask';
import { propExpr, type Store } from '../store/records';
import type { Caller } from './caller';

export interface GuardSettings {
  /** Failures from one address within `windowMs` that get it blocked. */
  maxFailures: number;
  windowMs: number;
  /** How long an automatic block lasts. */
  blockMs: number;
}

export function guardSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): GuardSettings {
  const num = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${v}`);
    return n;
  };
  return {
    maxFailures: num('AUTH_FAIL_LIMIT', 5),
    windowMs: num('AUTH_FAIL_WINDOW', 600) * 1000,
    blockMs: num('AUTH_BLOCK_DURATION', 3600) * 1000,
  };
}

/**
 * One list (allowed or blocked). Single addresses are looked up in SQLite through the
 * unique index on `address`, so a list of 100,000 addresses costs no memory; networks are
 * few and kept in memory, in step with the change log.
 */
class MaskList {
  private readonly networks = new Map<string, { mask: IpMask; expires: number }>();
  private modseq = -1;

  constructor(private readonly store: Store, readonly type: string) {}

  private put(id: string, data: Record<string, unknown> | null) {
    this.networks.delete(id);
    if (!data || !String(data.address).includes('/')) return;
    const parsed = parseIpMask(String(data.address));
    if (parsed.ok) this.networks.set(id, { mask: parsed.mask, expires: expiry(data) });
  }

  /** Brings the networks up to date with the store. */
  refresh() {
    const current = this.store.modseq(this.type);
    if (current === this.modseq) return;
    const log = this.modseq < 0 ? null : this.store.changesSince(this.type, this.modseq, 10_000);
    if (!log || log.length >= 10_000) {
      this.networks.clear();
      for (const [id, data] of this.store.findWhere(this.type, `${propExpr('address')} LIKE '%/%'`)) this.put(id, data);
    } else {
      for (const id of new Set(log.map((c) => c.id))) this.put(id, this.store.get(this.type, id));
    }
    this.modseq = current;
  }

  /** The unexpired record covering `ip`, or null. */
  match(ip: string, now = Date.now()): Record<string, unknown> | null {
    const canonical = canonicalIpMask(ip.replace(/^::ffff:(?=\d+\.)/i, ''));
    if (canonical) {
      const id = this.store.findBy(this.type, 'address', canonical);
      const data = id ? this.store.get(this.type, id) : null;
      if (data && expiry(data) > now) return data;
    }
    for (const [id, e] of this.networks) {
      if (e.expires > now && maskContains(e.mask, ip)) return this.store.get(this.type, id);
    }
    return null;
  }
}

const expiry = (data: Record<string, unknown>) => (typeof data.expiresAt === 'string' ? Date.parse(data.expiresAt) : Infinity);

/** A socket's address as people write it: IPv4-mapped IPv6 (dual-stack listeners) as IPv4. */
export function clientAddress(raw: string): string {
  return raw.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** What a refused client is told. */
export interface BlockInfo {
  address: string;
  reason: string | null;
  expiresAt: string | null;
}

/** Decisions are remembered per address until a list changes, and a few seconds at most (expiries). */
const DECISION_TTL_MS = 5000;

export class AccessGuard {
  private readonly allowed: MaskList;
  private readonly blocked: MaskList;
  private readonly failures = new Map<string, { at: number; username?: string }[]>();
  /** Addresses administrators signed in from recently: never blocked automatically. */
  private readonly trusted = new Map<string, number>();
  private dirty = true;
  private readonly decisions = new Map<string, { at: number; block: BlockInfo | null; allowed: boolean }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    readonly settings: GuardSettings,
    private readonly block: (ip: string, reason: string, expiresAt: Date) => void,
  ) {
    this.allowed = new MaskList(store, 'x:AllowedIp');
    this.blocked = new MaskList(store, 'x:BlockedIp');
    // Also fires for writes by other processes (Store.pollExternalWrites).
    this.unsubscribe = store.onChange((types) => {
      if (types.has('x:AllowedIp') || types.has('x:BlockedIp')) this.invalidate();
    });
  }

  close() {
    this.unsubscribe();
  }

  private invalidate() {
    this.dirty = true;
    this.decisions.clear();
  }

  private decide(ip: string) {
    const now = Date.now();
    const hit = this.decisions.get(ip);
    if (hit && now - hit.at < DECISION_TTL_MS) return hit;
    if (this.dirty) {
      this.allowed.refresh();
      this.blocked.refresh();
      this.dirty = false;
    }
    const allowed = this.allowed.match(ip, now) !== null;
    const record = allowed ? null : this.blocked.match(ip, now);
    const block = record
      ? { address: String(record.address), reason: (record.reason as string | null) ?? null, expiresAt: (record.expiresAt as string | null) ?? null }
      : null;
    const decision = { at: now, block, allowed };
    if (this.decisions.size > 10_000) this.decisions.clear();
    this.decisions.set(ip, decision);
    return decision;
  }

  isAllowed(ip: string): boolean {
    return this.decide(clientAddress(ip)).allowed;
  }

  /** Whether requests from `ip` must be refused. */
  isBlocked(ip: string): boolean {
    return this.decide(clientAddress(ip)).block !== null;
  }

  /** The block that refuses `ip`, if any. */
  blockOf(ip: string): BlockInfo | null {
    return this.decide(clientAddress(ip)).block;
  }

  /**
   * Counts a failed authentication (and the username tried, when there was one); true
   * when the address got blocked by it.
   */
  fail(rawIp: string | undefined, username?: string): boolean {
    if (!rawIp) return false;
    const ip = clientAddress(rawIp);
    if (this.isAllowed(ip)) return false;
    const now = Date.now();
    if ((this.trusted.get(ip) ?? 0) > now) return false;
    const recent = (this.failures.get(ip) ?? []).filter((f) => f.at > now - this.settings.windowMs);
    recent.push({ at: now, username });
    if (recent.length < this.settings.maxFailures) {
      if (this.failures.size > 100_000) this.failures.clear();
      this.failures.set(ip, recent);
      return false;
    }
    this.failures.delete(ip);
    if (this.isBlocked(ip)) return true;
    this.block(ip, 'authFailure', new Date(now + this.settings.blockMs));
    return true;
  }

  /** A successful sign-in; administrators' addresses are then exempt for a while. */
  succeed(rawIp: string | undefined, caller: Caller) {
    if (!rawIp) return;
    const ip = clientAddress(rawIp);
    // Only the failures of this user are forgiven: signing in as yourself must not
    // reset the count of guesses at someone else's password.
    const left = (this.failures.get(ip) ?? []).filter((f) => f.username !== caller.name);
    if (left.length) this.failures.set(ip, left);
    else this.failures.delete(ip);
    if (caller.permissions.has('sysBlockedIpDestroy')) {
      if (this.trusted.size > 10_000) this.trusted.clear();
      this.trusted.set(ip, Date.now() + this.settings.windowMs);
    }
  }
}
