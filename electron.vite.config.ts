// electron-vite builds the three Electron targets. The preload is one self-contained CommonJS file
// (sandboxed preloads cannot load ESM or node_modules), so its dependencies are bundled in.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { OutputBundle } from 'rolldown';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { rendererCsp } from './src/core/renderer-csp';

/**
 * `electron-vite dev` serves the renderer from Vite's dev server, which sends no CSP of its own: this sends the
 * app's policy (the one app:// and the harness send) on every dev response, so code that would break under it
 * breaks in development too. Vite's own dev tags (its client, the React refresh preamble, injected styles) get a
 * per-run nonce: the only addition to the policy, and only while serving.
 */
export function devCsp(): Plugin {
  const nonce = randomBytes(16).toString('base64');
  const policy = rendererCsp()
    .split('; ')
    // Scripts only: a nonce in style-src would switch off its 'unsafe-inline', which xterm.js's styles need.
    .map((d) => (/^script-src /.test(d) ? `${d} 'nonce-${nonce}'` : d))
    .join('; ');
  return {
    name: 'sitehop-dev-csp',
    apply: 'serve',
    config: () => ({ html: { cspNonce: nonce } }),
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', policy);
        next();
      });
    },
  };
}

/**
 * What the first paint runs, beyond the entry: the app (src/renderer/src/app-main.tsx), its connection to the back end
 * (api/back-end.ts, imported by the app just after it) and the chunks they import, from a built bundle.
 */
const FIRST_PAINT_MODULES = ['/src/app-main.tsx', '/src/api/back-end.ts'];

function appChunks(bundle: OutputBundle, modules: string[]): string[] {
  const files = new Set<string>();
  for (const module of modules) {
    const chunk = Object.values(bundle).find(
      (c) => c.type === 'chunk' && !!c.facadeModuleId?.endsWith(module),
    );
    if (chunk?.type !== 'chunk') continue;
    for (const f of [chunk.fileName, ...chunk.imports]) {
      const c = bundle[f];
      if (c?.type === 'chunk' && !c.isEntry) files.add(f);
    }
  }
  return [...files];
}

/**
 * The renderer's entry (src/renderer/src/main.tsx) starts the harness socket, then imports the app dynamically, and
 * the app its connection code. A dynamic import's chunk is only requested when its importer has run; this lists
 * those chunks (and the chunks they import) as `modulepreload` links in index.html, so the browser fetches and
 * compiles them alongside the entry.
 */
export function preloadAppChunks(modules = FIRST_PAINT_MODULES): Plugin {
  return {
    name: 'sitehop-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        return appChunks(ctx.bundle ?? {}, modules).map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head',
        }));
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: 'src/main/index.ts' } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: 'src/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; minified, the main chunk is less than half the size, which
      // shortens the first paint of a large directory (bench/ui.bench.ts).
      minify: true,
      // Absolute: Vite's dev dependency scan resolves a relative input against `root`, not the project.
      rollupOptions: {
        input: { index: fileURLToPath(new URL('./src/renderer/index.html', import.meta.url)) },
      },
    },
    plugins: [react(), devCsp(), preloadAppChunks()],
  },
});
