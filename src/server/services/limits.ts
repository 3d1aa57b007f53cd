// What a supervised daemon can really run with: the ranges and defaults of an x:Service's
// limits. The supervisor falls back on them; the x:Service definition publishes them.

/** Ranges the daemon can really run with (Dovecot 2.3: process_limit, vsz_limit). */
export const SERVICE_LIMITS = {
  maxConnections: { min: 1, max: 5000, default: 40 },
  /**
   * Bytes. Below 32 MiB Dovecot's login processes with TLS risk failing to start. The
   * default is Dovecot's own 256 MiB (the seed's example, 256000000, is 244 MiB).
   */
  memoryLimit: { min: 32 * 1024 * 1024, max: 16 * 1024 * 1024 * 1024, default: 256 * 1024 * 1024 },
  port: { min: 1, max: 65535 },
} as const;
