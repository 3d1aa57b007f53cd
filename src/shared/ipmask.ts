// IP masks (Stalwart's IpMask): a single address or a network in CIDR form, parsed,
// checked and put in canonical form. Pure, so the console validates exactly as the server.

export interface IpMask {
  version: 4 | 6;
  /** Network address as an integer (host bits zeroed). */
  bits: bigint;
  prefix: number;
}

export const PREFIX_RANGE = { 4: [8, 32], 6: [8, 128] } as const;

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    const items = h.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseV4(it);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  let all: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    all = [...head, ...new Array(missing).fill(0), ...tail];
  } else {
    all = head;
  }
  if (all.length !== 8) return null;
  return all.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

function width(version: 4 | 6): bigint {
  return version === 4 ? 32n : 128n;
}

function maskBits(version: 4 | 6, prefix: number): bigint {
  const w = width(version);
  return ((1n << w) - 1n) ^ ((1n << (w - BigInt(prefix))) - 1n);
}

export type ParseResult = { ok: true; mask: IpMask } | { ok: false; reason: string };

/** Parses `1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32`. Host bits are cleared. */
export function parseIpMask(input: string): ParseResult {
  const s = input.trim();
  if (s === '') return { ok: false, reason: 'An IP address or network is required' };
  const slash = s.indexOf('/');
  const addr = slash === -1 ? s : s.slice(0, slash);
  const prefixText = slash === -1 ? null : s.slice(slash + 1);
  let version: 4 | 6;
  let bits: bigint | null;
  if (addr.includes(':')) {
    version = 6;
    bits = parseV6(addr);
  } else {
    version = 4;
    bits = parseV4(addr);
  }
  if (bits === null) return { ok: false, reason: `"${addr}" is not a valid IPv${version} address` };
  const [min, max] = PREFIX_RANGE[version];
  let prefix: number = max;
  if (prefixText !== null) {
    if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, reason: `"/${prefixText}" is not a prefix length` };
    prefix = Number(prefixText);
    if (prefix < min || prefix > max) {
      return { ok: false, reason: `IPv${version} prefix must be between /${min} and /${max}` };
    }
  }
  return { ok: true, mask: { version, bits: bits & maskBits(version, prefix), prefix } };
}

function formatV6(bits: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((bits >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (≥2) of zero groups, the first one on ties.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function formatIpMask(m: IpMask): string {
  const addr =
    m.version === 4
      ? [24n, 16n, 8n, 0n].map((s) => ((m.bits >> s) & 0xffn).toString()).join('.')
      : formatV6(m.bits);
  return m.prefix === PREFIX_RANGE[m.version][1] ? addr : `${addr}/${m.prefix}`;
}

/** The canonical text of a mask, or null when it is not valid. */
export function canonicalIpMask(input: string): string | null {
  const r = parseIpMask(input);
  return r.ok ? formatIpMask(r.mask) : null;
}

/** Whether `ip` (a single address) lies inside `mask`. IPv4-mapped IPv6 addresses match IPv4 masks. */
export function maskContains(mask: IpMask, ip: string): boolean {
  const r = parseIpMask(ip.replace(/^::ffff:(?=\d+\.)/i, ''));
  if (!r.ok) return false;
  if (r.mask.version !== mask.version) return false;
  return (r.mask.bits & maskBits(mask.version, mask.prefix)) === mask.bits;
}
