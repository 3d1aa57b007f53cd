// A self-signed certificate for the TLS ports, made once per service with openssl
// (node:crypto can make keys but not X.509 certificates). Replace the two files with
// real ones to serve a trusted certificate; they are never overwritten.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ensureSelfSignedCertificate(dir: string, hostname: string): Promise<void> {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  if (fs.existsSync(cert) && fs.existsSync(key)) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const cn = /^[A-Za-z0-9.-]{1,64}$/.test(hostname) ? hostname : 'localhost';
  try {
    await run(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-subj', `/CN=${cn}`,
        '-addext', `subjectAltName=DNS:${cn},DNS:localhost,IP:127.0.0.1`, '-keyout', key, '-out', cert],
      { timeout: 30_000 },
    );
  } catch (e) {
    fs.rmSync(cert, { force: true });
    fs.rmSync(key, { force: true });
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const why = err.code === 'ENOENT' ? 'openssl is not installed' : (err.stderr || err.message).trim();
    throw new Error(`Could not create the TLS certificate in ${dir}: ${why}`, { cause: e });
  }
  fs.chmodSync(key, 0o600);
}
