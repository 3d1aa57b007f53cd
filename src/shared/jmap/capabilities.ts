// Capabilities beyond RFC 8620 core and Stalwart's that the server and the console share.

/**
 * Postern's /set dry run: a session announcing it accepts `"validateOnly": true` on any
 * x:…/set from a request naming it in `using` (server: jmap/dryRun.ts).
 */
export const VALIDATE_CAPABILITY = 'urn:postern:params:jmap:validate';

/** The extensions the console names in `using` when the session announces them. */
export const EXTENSIONS = [VALIDATE_CAPABILITY];
