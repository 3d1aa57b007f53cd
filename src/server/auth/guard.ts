// Allowed and blocked addresses, with their real effect: requests from a blocked
// address are refused; authentication failures are counted per address and, past a
// threshold, the address gets an x:BlockedIp record. An unexpired x:AllowedIp match is
// never blocked, and neither is an address an administrator is working from.
//
// The lists are kept in memory and updated from the change log, so a change takes
// effect at once; writes by another process (the `unblock` command) are noticed
// through SQLite's data_version.

import { canonicalIpMask, maskContains, parseIpMask, type IpMask } from '../../shared/ipmask';
import type { Store } from '../store/records';
import { ChangeKind } from '../store/records';
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

interface Entry {
  /** Single addresses are looked up by their canonical text; networks are scanned. */
  exact?: string;
  mask?: IpMask;
  expires: number;
}

/** One list (allowed or blocked), kept in step with its records through the change log. */
class MaskList {
  private readonly entries = new Map<string, Entry>();
  private readonly exact = new Map<string, Set<string>>();
  private readonly networks = new Map<string, Entry>();
  private modseq = -1;

  constructor(private readonly store: Store, readonly type: string) {}

  private remove(id: string) {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    if (e.exact) this.exact.get(e.exact)?.delete(id);
    else this.networks.delete(id);
  }

  private add(id: string, data: Record<string, unknown>) {
    const parsed = parseIpMask(String(data.address));
    if (!parsed.ok) return;
    const expires = typeof data.expiresAt === 'string' ? Date.parse(data.expiresAt) : Infinity;
    const single = parsed.mask.prefix === (parsed.mask.version === 4 ? 32 : 128);
    const e: Entry = single ? { exact: canonicalIpMask(String(data.address))!, expires } : { mask: parsed.mask, expires };
    this.entries.set(id, e);
    if (e.exact) {
      let ids = this.exact.get(e.exact);
      if (!ids) this.exact.set(e.exact, (ids = new Set()));
      ids.add(id);
    } else this.networks.set(id, e);
  }

  /** Brings the list up to date with the store; cheap when nothing changed. */
  refresh() {
    const current = this.store.modseq(this.type);
    if (current === this.modseq) return;
    const log = this.modseq < 0 ? null : this.store.changesSince(this.type, this.modseq, 10_000);
    if (!log || log.length >= 10_000) {
      this.entries.clear();
      this.exact.clear();
      this.networks.clear();
      for (const [id, data] of this.store.all(this.type)) this.add(id, data);
    } else {
      const touched = new Map<string, ChangeKind>();
      for (const c of log) touched.set(c.id, c.kind);
      for (const [id, kind] of touched) {
        this.remove(id);
        if (kind !== ChangeKind.Destroyed) {
          const data = this.store.get(this.type, id);
          if (data) this.add(id, data);
        }
      }
    }
    this.modseq = current;
  }

  /** The id of an unexpired entry covering `ip`, or null. */
  match(ip: string, now = Date.now()): string | null {
    const canonical = canonicalIpMask(ip.replace(/^::ffff:(?=\d+\.)/i, ''));
    if (canonical) {
      for (const id of this.exact.get(canonical) ?? []) if (this.entries.get(id)!.expires > now) return id;
    }
    for (const [id, e] of this.networks) if (e.expires > now && maskContains(e.mask!, ip)) return id;
    return null;
  }
}

export class AccessGuard {
  private readonly allowed: MaskList;
  private readonly blocked: MaskList;
  private readonly failures = new Map<string, number[]>();
  /** Addresses administrators signed in from recently: never blocked automatically. */
  private readonly trusted = new Map<string, number>();
  private dataVersion = -1;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    readonly settings: GuardSettings,
    private readonly block: (ip: string, reason: string, expiresAt: Date) => void,
  ) {
    this.allowed = new MaskList(store, 'x:AllowedIp');
    this.blocked = new MaskList(store, 'x:BlockedIp');
    this.timer = setInterval(() => this.noticeExternalWrites(), 1000);
    this.timer.unref();
  }

  close() {
    clearInterval(this.timer);
  }

  private noticeExternalWrites() {
    const v = this.store.db.pragma('data_version', { simple: true }) as number;
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      this.allowed.refresh();
      this.blocked.refresh();
    }
  }

  isAllowed(ip: string): boolean {
    this.allowed.refresh();
    return this.allowed.match(ip) !== null;
  }

  /** Whether requests from `ip` must be refused. */
  isBlocked(ip: string): boolean {
    this.blocked.refresh();
    return this.blocked.match(ip) !== null && !this.isAllowed(ip);
  }

  /** Counts a failed authentication; true when the address got blocked by it. */
  fail(ip: string | undefined): boolean {
    if (!ip || this.isAllowed(ip)) return false;
    const now = Date.now();
    if ((this.trusted.get(ip) ?? 0) > now) return false;
    const recent = (this.failures.get(ip) ?? []).filter((t) => t > now - this.settings.windowMs);
    recent.push(now);
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
  succeed(ip: string | undefined, caller: Caller) {
    if (!ip) return;
    this.failures.delete(ip);
    if (caller.permissions.has('sysBlockedIpDestroy')) {
      if (this.trusted.size > 10_000) this.trusted.clear();
      this.trusted.set(ip, Date.now() + this.settings.windowMs);
    }
  }
}
