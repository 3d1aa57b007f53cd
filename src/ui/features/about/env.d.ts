// Set by Vite when it builds the console (vite.config.ts `define`): package.json's version.
declare const __POSTERN_VERSION__: string | undefined;
