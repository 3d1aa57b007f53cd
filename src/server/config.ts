// Settings from the environment, with the defaults the README documents.

import os from 'node:os';
import path from 'node:path';
import { guardSettingsFromEnv, type GuardSettings } from './auth/guard';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminPassword?: string;
  /** Built console to serve; the server runs without it (API only). */
  staticDir: string;
  nodeName: string;
  nodeRole: string;
  /** Silence start-up output (tests). */
  quiet?: boolean;
  /** The URL people reach the server at (OAuth issuer, redirect URIs); default http://HOST:PORT. */
  publicUrl?: string;
  /** More OAuth redirect URIs for the console, e.g. a Vite dev server. */
  extraRedirectUris?: string[];
  guard?: GuardSettings;
  /** Seconds an OAuth access token lives. */
  accessTokenTtl?: number;
  /** Port of the James WebAdmin API listener (0 picks a free one); none when it is off. */
  webadminPort?: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    staticDir: path.resolve(env.STATIC_DIR ?? './dist'),
    nodeName: env.NODE_NAME ?? os.hostname(),
    nodeRole: env.NODE_ROLE ?? 'default',
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    extraRedirectUris: (env.OAUTH_REDIRECT_URIS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    guard: guardSettingsFromEnv(env),
    accessTokenTtl: env.ACCESS_TOKEN_TTL ? Math.max(1, Number(env.ACCESS_TOKEN_TTL) || 600) : undefined,
    webadminPort: webadminPort(env.WEBADMIN_PORT),
  };
}

/** WEBADMIN_PORT: default 8000; `0` or `off` turns the WebAdmin listener off. */
function webadminPort(raw: string | undefined): number | undefined {
  const value = (raw ?? '8000').trim().toLowerCase();
  if (value === 'off' || value === '0') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`WEBADMIN_PORT must be a port number or "off", not ${raw}`);
  return port;
}
