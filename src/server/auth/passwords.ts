// Password hashing with scrypt (node:crypto): `$scrypt$N$r$p$salt$hash`, base64url parts.

import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const N = 16384, R = 8, P = 1, KEYLEN = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEYLEN, { N, r: R, p: P });
  return `$scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function isPasswordHash(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('$scrypt$');
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 7 || parts[1] !== 'scrypt') return Promise.resolve(false);
  const [n, r, p] = [Number(parts[2]), Number(parts[3]), Number(parts[4])];
  const salt = Buffer.from(parts[5], 'base64url');
  const want = Buffer.from(parts[6], 'base64url');
  return new Promise((resolve) => {
    scrypt(password, salt, want.length, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, got) => {
      resolve(!err && got.length === want.length && timingSafeEqual(got, want));
    });
  });
}

let dummy: string | null = null;
/** A hash to compare against when the user does not exist, so timing does not tell. Made on first use, not at start. */
export function dummyHash(): string {
  return (dummy ??= hashPassword(randomBytes(12).toString('hex')));
}

export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
