// The build-time settings the console reads (Vite replaces them when it builds).
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** OAuth client id the console signs in with (default: postern-console). */
  readonly VITE_OAUTH_CLIENT_ID?: string;
  /** Where the server sends the browser back after sign-in (default: <origin>/auth/callback). */
  readonly VITE_OAUTH_REDIRECT_URI?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
