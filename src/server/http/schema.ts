// GET /api/schema: the schema document, cached by ETag and sent gzipped when asked.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { SchemaDocument } from '../../shared/schema/types';
import type { Req, Res } from './respond';

/** The document is fixed for the life of the process: serialise and compress it once. */
export function schemaResponder(schema: SchemaDocument): (req: Req, res: Res) => void {
  const json = JSON.stringify(schema);
  const gzipped = gzipSync(json);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"`;
  return (req, res) => {
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag });
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(gzip ? gzipped : json);
  };
}
