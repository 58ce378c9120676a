// The opener choice per platform, and a real spawn of a recording opener (argv exactly [url], no shell).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openerFor, openUrl } from './open-url';

const URL_WITH_TOKEN = 'http://127.0.0.1:4321/?token=a&b=$(touch /tmp/x)#frag';

describe('openerFor', () => {
  it("uses each platform's opener with the URL as a single argument", () => {
    expect(openerFor(URL_WITH_TOKEN, 'linux', {})).toEqual({ command: 'xdg-open', args: [URL_WITH_TOKEN] });
    expect(openerFor(URL_WITH_TOKEN, 'darwin', {})).toEqual({ command: 'open', args: [URL_WITH_TOKEN] });
    expect(openerFor(URL_WITH_TOKEN, 'win32', {})).toEqual({
      command: 'rundll32.exe',
      args: ['url.dll,FileProtocolHandler', URL_WITH_TOKEN],
    });
    expect(openerFor(URL_WITH_TOKEN, 'linux', { SITEHOP_OPENER: '/opt/x' })).toEqual({
      command: '/opt/x',
      args: [URL_WITH_TOKEN],
    });
  });
});

describe('openUrl', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-opener-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands the URL, shell characters and all, to the opener as one argument', async () => {
    const record = path.join(dir, 'argv.json');
    const opener = path.join(dir, 'opener.mjs');
    writeFileSync(
      opener,
      `#!${process.execPath}\nimport { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`,
    );
    chmodSync(opener, 0o755);
    const lines: string[] = [];
    openUrl(URL_WITH_TOKEN, (l) => lines.push(l), 'linux', { SITEHOP_OPENER: opener });
    await expect
      .poll(() => readFileSync(record, 'utf8'), { timeout: 10_000 })
      .toBe(JSON.stringify([URL_WITH_TOKEN]));
    expect(lines).toEqual([]);
  });

  it('reports a missing opener in one line instead of throwing', async () => {
    const lines: string[] = [];
    openUrl(URL_WITH_TOKEN, (l) => lines.push(l), 'linux', {
      SITEHOP_OPENER: path.join(dir, 'no-such-opener'),
    });
    await expect
      .poll(() => lines)
      .toEqual([
        `harness: could not open a browser (${path.join(dir, 'no-such-opener')}: ENOENT); open the URL above yourself.`,
      ]);
  });
});
