import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeChallenge, randomToken, sha256 } from './pkce';

describe('PKCE', () => {
  // RFC 7636, appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('computes the RFC 7636 S256 challenge with crypto.subtle', async () => {
    expect(await codeChallenge(verifier)).toBe(challenge);
  });

  it('computes the same challenge without crypto.subtle (plain-http consoles)', async () => {
    expect(await codeChallenge(verifier, null)).toBe(challenge);
  });

  it('the fallback SHA-256 agrees with node for lengths around the block boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(Buffer.from(sha256(data)).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('random tokens are base64url, long enough for a verifier, and differ', () => {
    const a = randomToken();
    const b = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(randomToken(48)).toHaveLength(64);
  });
});
