// Ctrl+C during a first sync (runCli in-process, the environment's workspace against a sandbox of 3,000 devices): the
// line says nothing was saved and there was nothing before; it said "the saved directory was left as it was",
// and a technician looked for one. Exit 130 either way.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../sandbox/index';
import type { CliIo } from './io';
import { runCli } from './run';

let sandbox: RunningSandbox;
let home: string;
beforeAll(async () => {
  sandbox = await startSandbox({
    generate: { sites: 40, devices: 3000, seed: 7 },
    rateLimit: false,
    edge: false,
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-interrupted-'));
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('Ctrl+C during a first sync', () => {
  it('says there was no saved directory and nothing was saved', async () => {
    let err = '';
    let out = '';
    let stop!: () => void;
    const io: CliIo = {
      stdout: (t) => (out += t),
      stderr: (t) => {
        err += t;
        // Ctrl+C as soon as the sync has started.
        if (t.includes('syncing first')) stop();
      },
      readStdin: async () => '',
      env: { SITEHOP_HOME: home, SITEHOP_API_KEY: sandbox.apiKey, SITEHOP_API_URL: sandbox.apiUrl },
      stopSignal: new Promise<void>((resolve) => (stop = resolve)),
    };
    expect(await runCli(['devices'], io)).toBe(130);
    expect(out).toBe('');
    expect(err).toBe(
      'No cached directory for "Environment (SITEHOP_API_KEY)" yet; syncing first.\n' +
        'sitehop devices: interrupted before the sync of "Environment (SITEHOP_API_KEY)" finished; there was no saved directory, and nothing was saved.\n',
    );
  });
});
