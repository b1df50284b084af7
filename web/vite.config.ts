// Builds the web UI into dist/: index.html plus content-hashed files under assets/, which
// `mortar serve` serves with a long cache. `npm run dev` proxies /api to a
// `mortar serve` on 127.0.0.1:8080.
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    // One small bundle; no inline scripts (the server's Content-Security-Policy forbids them).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
