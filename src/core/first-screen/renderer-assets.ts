// The built renderer's files as the served page's writer reads them (first-screen.ts inlines the stylesheet): only
// files inside the renderer's folder, by their path relative to the page.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PageWriter, ReadAsset } from './first-screen';

export function rendererAssetReader(rendererDir: string): ReadAsset {
  const root = path.resolve(rendererDir);
  return (relativePath) => {
    const file = path.resolve(root, relativePath);
    if (!file.startsWith(root + path.sep)) return null;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
}

/**
 * Writes the page once, unseen, so the window's first request is not the process's first run of that code (the
 * kept screen's checks: file reads, schema parsing, digests). The window's own request writes it again, fresh.
 */
export function warmPage(rendererDir: string, page: PageWriter): void {
  const read = rendererAssetReader(rendererDir);
  const html = read('index.html');
  if (html !== null) page(html, read);
}
