import fs from 'node:fs';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The console's version (the About page): package.json's, fixed when it is built. */
const { version } = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The console is built into dist/ and served by the embedded server; `npm run dev`
// proxies API calls to a server started with `npm run serve` (with
// OAUTH_REDIRECT_URIS=http://localhost:5173/auth/callback for OAuth sign-in).
const api = process.env.POSTERN_API ?? 'http://127.0.0.1:8080';
export default defineConfig({
  plugins: [react()],
  define: { __POSTERN_VERSION__: JSON.stringify(version) },
  build: { outDir: 'dist', sourcemap: false },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/jmap', '/.well-known', '/oauth', '/healthz'].map((p) => [p, { target: api, changeOrigin: false }]),
    ),
  },
});
