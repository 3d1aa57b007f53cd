// The server's own name and version: package.json's, read when the server is built
// (esbuild inlines the JSON into dist-server/main.mjs) or started from source (tsx).

import pkg from '../../../package.json' with { type: 'json' };

export const SERVER_NAME = 'Postern';
export const SERVER_VERSION: string = pkg.version;
/** What x:ServerInfo calls this server's edition (Stalwart's are oss, community and enterprise). */
export const SERVER_EDITION = 'Postern embedded';
