// Builds the admin GUI into dist/renderer/: run from the project root as
// `npx vite build -c renderer/vite.config.ts`. The base is relative so the same files load from the
// desktop app's app:// scheme and from the headless admin HTTP server. The renderer imports the admin
// contract (zod schemas) straight from server/admin/contract.ts. (Paths are relative to the project
// root, not computed with node:path, because this file is type-checked with the DOM-only renderer
// tsconfig.)
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
