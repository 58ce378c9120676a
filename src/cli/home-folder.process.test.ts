// A SiteHop data folder that cannot be one (SITEHOP_HOME names a file, a path through a file, a link to a folder that
// is gone, a folder under /proc), through the built `sitehop` process: one sentence that names the folder and where
// its path came from, exit status 1, the file left as it was. It printed Node's errno text ("EEXIST: file already
// exists, mkdir '…'"), and under /proc it spun forever.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../test-support/built-cli';

let cli: BuiltCli;
let dir: string;

beforeAll(async () => {
  cli = await buildCli('sitehop-home-folder-test');
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-home-folder-'));
}, 120_000);
afterAll(() => {
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('a SiteHop data folder that cannot be used (built CLI process)', () => {
  it('SITEHOP_HOME names a file: one sentence saying so, exit 1, the file untouched', async () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'the technician’s notes\n');
    for (const args of [['workspace', 'list'], ['host-keys']]) {
      const r = await cli.run(args, { env: { SITEHOP_HOME: file } });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toBe(
        `sitehop ${args[0]}${args[0] === 'workspace' ? ' list' : ''}: the SiteHop data folder ${file} (set by SITEHOP_HOME) is a file, not a folder.\n`,
      );
    }
    expect(readFileSync(file, 'utf8')).toBe('the technician’s notes\n');
  }, 120_000);

  it('a path through a file, or a link to a folder that is gone: why it cannot be created', async () => {
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, '');
    const through = path.join(file, 'sitehop');
    const r = await cli.run(['devices'], { env: { SITEHOP_HOME: through } });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `sitehop devices: cannot create the SiteHop data folder ${through} (set by SITEHOP_HOME): part of its path is a file, not a folder.\n`,
    );

    const link = path.join(dir, 'usb-stick');
    symlinkSync(path.join(dir, 'unplugged'), link);
    const gone = await cli.run(['sync'], { env: { SITEHOP_HOME: link } });
    expect(gone.code).toBe(1);
    expect(gone.err).toBe(
      `sitehop sync: cannot create the SiteHop data folder ${link} (set by SITEHOP_HOME): part of its path leads nowhere (a link to a folder that is gone, or a system folder).\n`,
    );
  }, 120_000);

  it('a folder under /proc: the same sentence, not a process spinning forever', async () => {
    // Linux only: /proc answers mkdir with ENOENT, where Node's recursive mkdirSync loops without end.
    if (process.platform !== 'linux') return;
    const proc = `/proc/sitehop-${process.pid}`;
    const r = await cli.run(['sites'], { env: { SITEHOP_HOME: proc } });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `sitehop sites: cannot create the SiteHop data folder ${proc} (set by SITEHOP_HOME): part of its path leads nowhere (a link to a folder that is gone, or a system folder).\n`,
    );
  }, 120_000);
});
