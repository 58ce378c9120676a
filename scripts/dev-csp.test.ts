// Dev mode (`electron-vite dev`) serves the same CSP as the app and the harness. The renderer dev server is
// started exactly as electron-vite starts it (its resolved renderer config, on a free loopback port), and the
// page is loaded in Debian's Chromium: the UI must come up with no violation, and an inline script must be refused.
import { chromium, type Browser } from '@playwright/test';
import { resolveConfig } from 'electron-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, mergeConfig, type ViteDevServer } from 'vite';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { rendererCsp } from '../src/core/renderer-csp';

let server: ViteDevServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  const resolved = await resolveConfig({ logLevel: 'warn' }, 'serve', 'development');
  const renderer = resolved.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer config');
  server = await createServer(
    mergeConfig(renderer, { server: { host: '127.0.0.1', port: 0, strictPort: false }, clearScreen: false }),
  );
  await server.listen();
  url = server.resolvedUrls!.local[0]!;
  browser = await chromium.launch(chromiumLaunchOptions);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the renderer dev server', () => {
  it("sends the app's policy, adding only a per-run nonce for Vite's own tags", async () => {
    const res = await fetch(url);
    const header = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(header)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(header.replaceAll(` 'nonce-${nonce}'`, '')).toBe(rendererCsp());
    expect(header).toContain(`script-src 'self' 'nonce-${nonce}'`);
    expect(header).toContain(`style-src 'self' 'unsafe-inline';`);
    // every script tag Vite serves carries that nonce, so nothing else can run
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // modules and assets are covered too, not only the page
    const client = await fetch(new URL('/@vite/client', url));
    expect(client.headers.get('content-security-policy')).toBe(header);
  });

  it('runs the UI in Chromium under it without a violation, and refuses an inline script', async () => {
    const page = await browser.newPage();
    try {
      // Page-side code as strings: this file is type-checked without the DOM library.
      await page.addInitScript(`
        globalThis.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          globalThis.__violations.push(\`\${e.effectiveDirective} \${e.blockedURI} \${e.sourceFile}:\${e.lineNumber}\`));
      `);
      await page.goto(url);
      // React mounted (the nonce'd refresh preamble, Vite client and entry ran) and the stylesheet Vite injects
      // as a <style> element applied.
      await expect.poll(() => page.locator('#root > *').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      // Vite injects each stylesheet as a nonce'd <style>; its rules must have applied (the body is no longer
      // the browser's default transparent).
      await expect
        .poll(() =>
          page.evaluate(`[...document.querySelectorAll('style[data-vite-dev-id]')]
            .filter((el) => el.nonce !== '' && el.sheet && el.sheet.cssRules.length > 0).length`),
        )
        .toBeGreaterThan(0);
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).not.toBe(
        'rgba(0, 0, 0, 0)',
      );
      const violations = () => page.evaluate<string[]>('globalThis.__violations');
      // Nothing may be refused (zod's eval probe is off: the renderer runs zod jitless).
      expect(await violations()).toEqual([]);

      const ran = await page.evaluate(`(async () => {
        const s = document.createElement('script');
        s.textContent = 'globalThis.__inlineRan = true';
        document.head.append(s);
        await new Promise((r) => setTimeout(r, 0));
        return globalThis.__inlineRan === true;
      })()`);
      expect(ran).toBe(false);
      await expect
        .poll(async () => (await violations()).map((v) => v.split(' ').slice(0, 2).join(' ')))
        .toEqual(['script-src-elem inline']);
    } finally {
      await page.close();
    }
  });
});
