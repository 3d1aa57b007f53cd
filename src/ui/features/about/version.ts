// The console's own version, fixed when Vite builds it (vite.config.ts); in unit tests,
// which run the sources without that build step, there is none.

export const CONSOLE_VERSION: string | null = typeof __POSTERN_VERSION__ === 'string' ? __POSTERN_VERSION__ : null;

/** Where the About page lives: outside the schema's layouts, so it exists on every server. */
export const ABOUT_PATH = '/about';
