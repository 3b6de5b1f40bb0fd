import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { appShell } from './app-shell.mts';

// The API serves the built app from its own origin (apps/api/src/web/web-app.ts); `npm run dev:web`
// proxies the API so the same relative URLs work against a local `npm start`.
const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // .vite/manifest.json: which chunks each entry and lazy screen loads, for the first-load budget
    // check (test/web/initial-js.unit.spec.ts).
    manifest: true,
    rolldownOptions: {
      // antd marks its modules "use client" (for React server components); a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  plugins: [appShell()],
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '^/(?!app|assets|@|src|node_modules).*': 'http://127.0.0.1:3000' } },
});
