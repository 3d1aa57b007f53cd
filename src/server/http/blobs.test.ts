// Blobs (RFC 8620 §6): upload answers {accountId, blobId, type, size}; download returns the
// bytes with the asked type and name; maxSizeUpload is enforced with the limit error; a
// caller reads only its own uploads; blobs live in SQLite across restarts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../jmap/context';
import http from 'node:http';
import { ADMIN_PASSWORD, basic, startTestServer, type TestServer } from '../testing';
import { makeUser } from '../testkit';

let server: TestServer;
let adminAccount: string;

beforeAll(async () => {
  server = await startTestServer();
  adminAccount = ((await (await server.raw('/jmap/session')).json()) as { primaryAccounts: Record<string, string> }).primaryAccounts['urn:stalwart:jmap'];
});
afterAll(() => server.close());

const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13, 0x3c, 0x68, 0x31, 0x3e]);

async function upload(data: Buffer, type: string | null, opts: { accountId?: string; user?: string; password?: string } = {}) {
  const res = await server.raw(`/jmap/upload/${opts.accountId ?? adminAccount}/`, {
    method: 'POST',
    user: opts.user,
    password: opts.password,
    headers: type === null ? {} : { 'Content-Type': type },
    body: new Uint8Array(data),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('session', () => {
  it('advertises an honest maxSizeUpload and the blob URLs', async () => {
    const s = (await (await server.raw('/jmap/session')).json()) as Record<string, Record<string, Record<string, unknown>> & Record<string, string>>;
    expect(s.capabilities['urn:ietf:params:jmap:core']).toMatchObject({ maxSizeUpload: LIMITS.maxSizeUpload, maxConcurrentUpload: LIMITS.maxConcurrentUpload });
    expect(LIMITS.maxSizeUpload).toBeGreaterThan(0);
    expect(s.uploadUrl).toMatch(/\/jmap\/upload\/\{accountId\}\/$/);
    expect(s.downloadUrl).toMatch(/\/jmap\/download\/\{accountId\}\/\{blobId\}\/\{name\}\?accept=\{type\}$/);
  });
});

describe('upload and download', () => {
  it('stores the bytes and reads them back with the type and name asked for', async () => {
    const up = await upload(bytes, 'image/png');
    expect(up.status).toBe(201);
    expect(up.json).toEqual({ accountId: adminAccount, blobId: expect.stringMatching(/^[A-Za-z0-9_-]+$/), type: 'image/png', size: bytes.length });
    const blobId = String(up.json.blobId);
    const down = await server.raw(`/jmap/download/${adminAccount}/${blobId}/caf%C3%A9%20menu.png?accept=application%2Foctet-stream`);
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer())).toEqual(bytes);
    expect(down.headers.get('content-type')).toBe('application/octet-stream');
    expect(down.headers.get('content-disposition')).toBe(`attachment; filename="caf_ menu.png"; filename*=UTF-8''caf%C3%A9%20menu.png`);
    expect(down.headers.get('content-security-policy')).toContain('sandbox');
    const asStored = await server.raw(`/jmap/download/${adminAccount}/${blobId}/x.png`);
    expect(asStored.headers.get('content-type')).toBe('image/png');
  });

  it('without a Content-Type the blob is application/octet-stream; an empty upload is a blob of size 0', async () => {
    const up = await upload(Buffer.alloc(0), null);
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ type: 'application/octet-stream', size: 0 });
  });

  it('refuses an upload larger than maxSizeUpload with 413 and the limit error, storing nothing', async () => {
    const count = () => (server.store.db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n;
    const before = count();
    const url = new URL(`${server.url}/jmap/upload/${adminAccount}/`);
    const { status, json } = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const req = http.request({
        host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false,
        headers: { Authorization: basic('admin', ADMIN_PASSWORD), 'Content-Type': 'application/octet-stream', 'Content-Length': LIMITS.maxSizeUpload + 1 },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write(Buffer.alloc(16));
    });
    expect(status).toBe(413);
    expect(json).toMatchObject({ type: 'urn:ietf:params:jmap:error:limit', limit: 'maxSizeUpload', status: 413 });
    expect(count()).toBe(before);
  }, 20_000);

  it.each([
    ['a Content-Type that is not a media type', () => upload(bytes, 'not a type'), 400],
    ['an account that is not the caller’s', () => upload(bytes, 'text/plain', { accountId: 'someoneelse' }), 404],
  ])('refuses %s', async (_what, run, status) => {
    expect((await run()).status).toBe(status);
  });

  it('needs credentials', async () => {
    const res = await fetch(`${server.url}/jmap/upload/${adminAccount}/`, { method: 'POST', body: new Uint8Array(bytes) });
    expect(res.status).toBe(401);
  });

  it('refuses an accept that is not a media type (no header injection)', async () => {
    const { json } = await upload(bytes, 'text/plain');
    const res = await server.raw(`/jmap/download/${adminAccount}/${String(json.blobId)}/a.txt?accept=text%2Fhtml%0D%0AX-Evil%3A%201`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-evil')).toBeNull();
  });
});

describe('who reads a blob', () => {
  it('only the account that uploaded it: to anyone else it does not exist', async () => {
    const other = await makeUser(server, []);
    const mine = await upload(bytes, 'text/plain');
    const theirs = await upload(Buffer.from('theirs'), 'text/plain', { accountId: other.accountId, user: other.user, password: other.password });
    expect(theirs.status).toBe(201);
    const as = (user: string, password: string, accountId: string, blobId: unknown) =>
      fetch(`${server.url}/jmap/download/${accountId}/${String(blobId)}/f.txt`, { headers: { Authorization: basic(user, password) } }).then((r) => r.status);
    expect(await as(other.user, other.password, other.accountId, theirs.json.blobId)).toBe(200);
    expect(await as(other.user, other.password, other.accountId, mine.json.blobId)).toBe(404);
    expect(await as(other.user, other.password, adminAccount, mine.json.blobId)).toBe(404);
    // The administrator, who may do everything else, still reads only its own uploads.
    expect((await server.raw(`/jmap/download/${other.accountId}/${String(theirs.json.blobId)}/f.txt`)).status).toBe(404);
    expect((await server.raw(`/jmap/download/${adminAccount}/${String(theirs.json.blobId)}/f.txt`)).status).toBe(404);
    expect((await server.raw(`/jmap/download/${adminAccount}/Bnosuchblob/f.txt`)).status).toBe(404);
  });

  it('blobs are kept in SQLite: they survive a restart', async () => {
    const { json } = await upload(bytes, 'application/pdf');
    server = await server.restart();
    const res = await server.raw(`/jmap/download/${adminAccount}/${String(json.blobId)}/r.pdf`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });
});
