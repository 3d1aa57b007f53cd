// Which OAuth client the console is to the server: its client id and redirect URI. A
// Postern server knows the console as `postern-console`; a Stalwart server (or its
// operator) registers a public client of its own choosing. Each setting comes from, first
// to last: `/config.json` beside the console's index.html at run time
// (`{"oauthClientId": "…", "oauthRedirectUri": "…"}`), the build
// (VITE_OAUTH_CLIENT_ID, VITE_OAUTH_REDIRECT_URI), the defaults.

import { i18n } from '../i18n/i18n';

export const DEFAULT_CLIENT_ID = 'postern-console';
export const CALLBACK_PATH = '/auth/callback';

export interface ClientConfig {
  clientId: string;
  redirectUri: string;
}

export interface ConfigSources {
  /** The run-time file's settings (already parsed), or null when there is none. */
  runtime: Record<string, unknown> | null;
  build: { VITE_OAUTH_CLIENT_ID?: string; VITE_OAUTH_REDIRECT_URI?: string };
}

/** A setting that names something: a non-blank string. */
const named = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * The client settings from their sources. The redirect URI must be on the console's own
 * origin: the page it lands on finishes a sign-in this tab started, with what this tab kept.
 */
export function resolveClientConfig(sources: ConfigSources, origin: string): ClientConfig {
  const clientId = named(sources.runtime?.oauthClientId) ?? named(sources.build.VITE_OAUTH_CLIENT_ID) ?? DEFAULT_CLIENT_ID;
  const configured = named(sources.runtime?.oauthRedirectUri) ?? named(sources.build.VITE_OAUTH_REDIRECT_URI);
  if (!configured) return { clientId, redirectUri: `${origin}${CALLBACK_PATH}` };
  const url = new URL(configured, origin);
  if (url.origin !== origin) {
    throw new Error(i18n.t('app:oauth.redirectOrigin', { configured: url.origin, origin }));
  }
  return { clientId, redirectUri: url.href };
}

/**
 * Reads `/config.json` (once per sign-in, not per page load). A missing file, an HTML page
 * from a single-page fallback or a network error mean: no run-time settings.
 */
export async function fetchRuntimeConfig(origin: string, fetchFn: typeof fetch = fetch): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetchFn(new URL('/config.json', origin).href, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
    const body: unknown = await res.json();
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function loadClientConfig(origin = location.origin, fetchFn: typeof fetch = fetch): Promise<ClientConfig> {
  const env = import.meta.env ?? {};
  return resolveClientConfig(
    { runtime: await fetchRuntimeConfig(origin, fetchFn), build: { VITE_OAUTH_CLIENT_ID: env.VITE_OAUTH_CLIENT_ID, VITE_OAUTH_REDIRECT_URI: env.VITE_OAUTH_REDIRECT_URI } },
    origin,
  );
}
