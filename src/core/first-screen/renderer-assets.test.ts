// The served page's reads of the built renderer, on a real folder: files inside it only; the warm-up writes the
// page once from the built index.html.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rendererAssetReader, warmPage } from './renderer-assets';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-renderer-assets-'));
  mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'renderer', 'index.html'), '<div id="root"></div>');
  writeFileSync(path.join(dir, 'renderer', 'assets', 'a.css'), '.a{}');
  writeFileSync(path.join(dir, 'secret.txt'), 'not for the page');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('rendererAssetReader', () => {
  it('reads files inside the renderer folder, and nothing outside it or missing', () => {
    const read = rendererAssetReader(path.join(dir, 'renderer'));
    expect(read('assets/a.css')).toBe('.a{}');
    expect(read('../secret.txt')).toBeNull();
    expect(read('assets/../../secret.txt')).toBeNull();
    expect(read(path.join(dir, 'secret.txt'))).toBeNull();
    expect(read('assets/missing.css')).toBeNull();
  });
});

describe('warmPage', () => {
  it('writes the page once from the built index.html, with the same reader', () => {
    const calls: string[] = [];
    warmPage(path.join(dir, 'renderer'), (html, read) => {
      calls.push(`${html}|${read('assets/a.css')}`);
      return html;
    });
    expect(calls).toEqual(['<div id="root"></div>|.a{}']);
  });

  it('does nothing without a built page', () => {
    let called = false;
    warmPage(path.join(dir, 'none'), (html) => ((called = true), html));
    expect(called).toBe(false);
  });
});
