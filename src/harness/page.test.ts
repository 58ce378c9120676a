// The page the harness serves: index.html goes through core's page function (the kept first screen), with the same
// headers as every file; every other file is served as built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCore } from '../core/app-core';
import { createTestCore } from '../core/testing/test-core';
import { startHarness, type Harness } from './server';

let dir: string;
let core: AppCore;
let harness: Harness;
const seen: string[] = [];
let writtenBeforeAnyRequest = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-harness-page-'));
  mkdirSync(path.join(dir, 'renderer'));
  writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(dir, 'renderer', 'app.js'), 'export {};');
  core = createTestCore(path.join(dir, 'home'));
  harness = await startHarness({
    rendererDir: path.join(dir, 'renderer'),
    dispatch: core.dispatch,
    hub: core.hub,
    page: (html, readAsset) => {
      seen.push(html);
      // The page function may read the built renderer's files (core inlines the stylesheet with it).
      const inlined = `${readAsset('app.js')}|${readAsset('../home/x')}`;
      return html.replace(
        '<div id="root"></div>',
        () => `<div id="root"><p>first screen € ${inlined}</p></div>`,
      );
    },
  });
  await new Promise((resolve) => setImmediate(resolve));
  writtenBeforeAnyRequest = seen.length;
});

afterAll(async () => {
  await harness.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the served page', () => {
  it.each(['/', '/index.html'])('%s is the built page as the page function writes it', async (url) => {
    const res = await fetch(`${harness.origin}${url}`);
    const body = await res.text();
    expect(body).toBe('<!doctype html><div id="root"><p>first screen € export {};|null</p></div>');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(seen.at(-1)).toBe('<!doctype html><div id="root"></div>');
  });

  it('writes the page once right after starting, before any request, to warm the code that serves it', () => {
    expect(writtenBeforeAnyRequest).toBe(1);
    expect(seen[0]).toBe('<!doctype html><div id="root"></div>');
  });

  it('answers HEAD with the length and no body; other files are served as built', async () => {
    const head = await fetch(`${harness.origin}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const before = seen.length;
    expect(await (await fetch(`${harness.origin}/app.js`)).text()).toBe('export {};');
    expect(seen.length).toBe(before);
  });
});
