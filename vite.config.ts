import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is built into dist/ and served by the embedded server; `npm run dev`
// proxies API calls to a server started with `npm run serve` (with
// OAUTH_REDIRECT_URIS=http://localhost:5173/auth/callback for OAuth sign-in).
const api = process.env.POSTERN_API ?? 'http://127.0.0.1:8080';
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/jmap', '/.well-known', '/oauth', '/healthz'].map((p) => [p, { target: api, changeOrigin: false }]),
    ),
  },
});
