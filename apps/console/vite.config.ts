import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is plain static files the auth server serves at {PUBLIC_URL}/console.
 * `base: './'` keeps every asset URL relative (to the <base href> the server writes), so one
 * build works under any PUBLIC_URL path. No React plugin: Vite's own transform does the JSX
 * (automatic runtime); Fast Refresh is not worth a dependency for an admin screen.
 */
export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Strict CSP: no inline scripts, and no data: URLs for small assets.
    assetsInlineLimit: 0,
    sourcemap: true,
    // One chunk of ~600 kB (React, the router, React Query) is fine for an admin screen.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // React Query marks modules "use client" for server-component bundlers; meaningless in an SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
