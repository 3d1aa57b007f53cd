// Binary data over HTTP (RFC 8620 §6): POST uploadUrl stores a blob, GET downloadUrl reads
// it back. A caller reads only its own uploads (store/blobs.ts); any other blob id, an
// expired one included, is simply not found.

import type { Caller } from '../auth/caller';
import { LIMITS } from '../jmap/context';
import { ProblemError, problem } from '../jmap/errors';
import { MAX_PENDING_BYTES_PER_ACCOUNT, type BlobStore } from '../store/blobs';
import { readBytes, send, type Req, type Res } from './respond';
import { queuedMessageBlob } from '../mail/queue/writes';
import { repositoryMailBlob } from '../mail/filter/repositoryStore';
import type { Store } from '../store/records';

export const UPLOAD_PATH = /^\/jmap\/upload\/([^/]+)\/?$/;
export const DOWNLOAD_PATH = /^\/jmap\/download\/([^/]+)\/([^/]+)\/([^/]+)\/?$/;

/** A media type as RFC 6838 writes it (type/subtype, parameters), printable ASCII only. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[\x20-\x21\x23-\x7e]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;
const MAX_TYPE_LENGTH = 255;

function badRequest(detail: string): ProblemError {
  return new ProblemError(400, 'about:blank', detail, { title: 'Bad Request' });
}

function tooLarge(max: number): ProblemError {
  return new ProblemError(413, 'urn:ietf:params:jmap:error:limit', `The upload is larger than ${max} bytes (maxSizeUpload)`, { limit: 'maxSizeUpload' });
}

/** The path segment decoded, or a 400 when it is not valid percent-encoding. */
function segment(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`The ${what} in the URL is not valid percent-encoding`);
  }
}

/** The upload's bytes, at most `max`; 413 as soon as it is known to be larger. */
const readUpload = (req: Req, max: number): Promise<Buffer> => readBytes(req, max, () => tooLarge(max));

/** POST /jmap/upload/{accountId}/: 201 with {accountId, blobId, type, size}. */
export async function upload(req: Req, res: Res, caller: Caller, blobs: BlobStore, rawAccountId: string): Promise<void> {
  const accountId = segment(rawAccountId, 'account id');
  // RFC 8620 §6.1: the account must be one the caller has; this server gives each caller its own.
  if (accountId !== caller.accountId) throw problem.notFound();
  const header = String(req.headers['content-type'] ?? '').trim();
  const type = header === '' ? 'application/octet-stream' : header;
  if (type.length > MAX_TYPE_LENGTH || !MEDIA_TYPE.test(type)) throw badRequest('Content-Type must be a media type such as image/png');
  const max = LIMITS.maxSizeUpload;
  const overQuota = () =>
    new ProblemError(413, 'about:blank', `Uploads not yet used by any object may hold at most ${MAX_PENDING_BYTES_PER_ACCOUNT} bytes: they expire an hour after upload`, {
      title: 'Payload Too Large',
    });
  if (blobs.pendingBytes(accountId) + Number(req.headers['content-length'] ?? 0) > MAX_PENDING_BYTES_PER_ACCOUNT) {
    req.resume();
    throw overQuota();
  }
  const data = await readUpload(req, max);
  // Again with the bytes received: a chunked body declares no length, and uploads run side by side.
  if (blobs.pendingBytes(accountId) + data.length > MAX_PENDING_BYTES_PER_ACCOUNT) throw overQuota();
  const stored = blobs.put(accountId, type, data);
  send(res, 201, stored);
}

/** GET /jmap/download/{accountId}/{blobId}/{name}?accept={type}: the bytes, as an attachment named `name`. */
export async function download(res: Res, url: URL, caller: Caller, blobs: BlobStore, raw: { accountId: string; blobId: string; name: string }, store?: Store): Promise<void> {
  const accountId = segment(raw.accountId, 'account id');
  const blobId = segment(raw.blobId, 'blob id');
  const name = segment(raw.name, 'file name');
  const accept = url.searchParams.get('accept');
  if (accept !== null && (accept.length > MAX_TYPE_LENGTH || !MEDIA_TYPE.test(accept))) {
    throw badRequest('accept must be a media type such as image/png');
  }
  // Besides uploads: a queued message's content, read from the Postfix queue (mail/queue/writes.ts).
  // …and a repository mail's message (mail/filter/repositoryStore.ts).
  const uploaded = accountId !== caller.accountId ? null : blobs.get(accountId, blobId);
  const blob = uploaded ?? (accountId !== caller.accountId || !store ? null : repositoryMailBlob(store, caller, blobId) ?? await queuedMessageBlob(store, caller, blobId));
  if (!blob) throw problem.notFound();
  res.writeHead(200, {
    'Content-Type': accept ?? blob.type,
    'Content-Length': String(blob.size),
    'Content-Disposition': contentDisposition(name),
    // An upload's bytes never change and are the caller's alone; a mail's is readable only while
    // the mail exists and the caller may read it, so it is never kept.
    'Cache-Control': uploaded ? 'private, max-age=31536000, immutable' : 'no-store',
    // Whatever it contains, it never runs as a page of this origin.
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(blob.data);
}

/** `attachment` with the name (RFC 6266): an ASCII fallback and the UTF-8 form. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'download';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
