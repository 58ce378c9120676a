// Builds the plain-Node entry points (CLI and browser harness) into out/node. Dependencies stay external,
// as in the Electron main build, so native modules (keyring, ssh2's optional binding) load from node_modules.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'out/node',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: { cli: 'src/cli/index.ts', harness: 'src/harness/index.ts' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
