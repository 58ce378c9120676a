// `sitehop rdp-client` and `sitehop rdp --dry-run` in-process: the real client detection on this machine, a custom
// client with its argument template, and the dry-run plan against a sandbox workspace (nothing is started).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { rdpFleet } from '../../core/rdp/testing/rdp-fleet';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import type { CliIo } from '../io';
import { runCli } from '../run';

let sandbox: RunningSandbox;
let home: string;
beforeAll(async () => {
  exportServicesEnv();
  sandbox = await startSandbox({ state: rdpFleet({ rdpPort: 9, listenerPort: 9 }), edge: false });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-rdpclient-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(home, { recursive: true, force: true });
});

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    readStdin: async () => stdin,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      DISPLAY: testEnv(TestEnvNames.rdpClientDisplay),
      SITEHOP_HOME: path.join(home, 'data'),
      SITEHOP_API_KEY: sandbox.apiKey,
      SITEHOP_API_URL: sandbox.apiUrl,
      SITEHOP_KEYCHAIN_SERVICE: 'sitehop-test-rdp-client-unused',
    },
    stopSignal: new Promise(() => undefined),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('sitehop rdp-client', () => {
  it("lists this machine's xfreerdp, refuses an unknown id, and sets up a custom client used by rdp --dry-run", async () => {
    const list = await run(['rdp-client', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toMatchObject({
      clients: [{ id: 'xfreerdp', name: 'xfreerdp 2.11.7', path: '/usr/bin/xfreerdp', version: '2.11.7' }],
      preferred: null,
    });
    expect((await run(['rdp-client', 'use', 'mstsc'])).code).toBe(2);
    expect((await run(['rdp-client', 'custom', 'relative/rdp'])).code).toBe(2);

    const custom = await run([
      'rdp-client',
      'custom',
      '/bin/echo',
      '--',
      '--host',
      '{host}',
      '--port={port}',
      '--user={username}',
    ]);
    expect(custom.code).toBe(0);
    expect(custom.out).toMatch(/^\*\s+custom\s+echo\s+\/bin\/echo$/m);

    const plan = await run(['rdp', 'Clinic/Front Desk', '--dry-run']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.out)).toEqual({
      command: '/bin/echo',
      args: ['--host', '127.0.0.1', expect.stringMatching(/^--port=\d+$/)],
      rdpFile: null,
      stdin: null,
    });

    expect((await run(['rdp-client', 'use', 'default'])).code).toBe(0);
    const back = await run(
      ['rdp', 'Clinic/Front Desk', '-u', 'tech', '--password-stdin', '--dry-run'],
      'pw-123\n',
    );
    expect(back.code).toBe(0);
    expect(JSON.parse(back.out)).toMatchObject({ command: '/usr/bin/xfreerdp', stdin: '<redacted>' });
    expect(back.out).not.toContain('pw-123');

    const flags = await run(
      [
        'rdp',
        'clinic/front desk',
        '-u',
        'tech',
        '--password-stdin',
        '--dry-run',
        '--fullscreen',
        '--multimon',
        '--admin',
        '--drives',
        '--no-clipboard',
        '--cert',
        'ignore',
      ],
      'pw\n',
    );
    expect(flags.code).toBe(0);
    const args = (JSON.parse(flags.out) as { args: string[] }).args;
    for (const a of ['/f', '/multimon', '/admin', '+drives', '-clipboard', '/cert:ignore'])
      expect(args).toContain(a);
    expect(args).not.toContain('/cert:tofu');
    for (const bad of [
      ['--size', '10x10'],
      ['--cert', 'maybe'],
      ['--fullscreen', '--size', '1600x900'],
    ]) {
      expect((await run(['rdp', 'Clinic/Front Desk', '--dry-run', ...bad])).code).toBe(2);
    }
  });

  it('usage errors: no device, --remember without --password-stdin, an unknown device', async () => {
    expect((await run(['rdp'])).code).toBe(2);
    expect((await run(['rdp', 'Clinic/Front Desk', '--remember'])).code).toBe(2);
    const unknown = await run(['rdp', 'Clinic/Nowhere', '--dry-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('there is no device "Clinic/Nowhere"');
  });
});
