// The set-up of the RDP specs: a sandbox workspace whose RDP services sit behind the sandbox edge (rdpFleet: FreeRDP's
// shadow server, a silent listener, a refused address), a harness on it with its own keychain service, and what the
// launched client sees: the test display, a private certificate store, +auth-only (NLA, then exit 0). Registers the
// spec's hooks; xfreerdp clients a test left dialling this sandbox are killed after each test.
import { test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { rdpFleet } from '../src/core/rdp/testing/rdp-fleet';
import { silentListener } from '../src/core/rdp/testing/client-reaper';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

export interface RdpHarness {
  /** The harness's URL, once the spec's beforeAll has run. */
  url(): string;
  /** The keychain service the harness keeps remembered passwords under. */
  keychainService: string;
}

export function useRdpHarness(name: string): RdpHarness {
  const keychainService = `sitehop-e2e-${name}-${randomBytes(4).toString('hex')}`;
  let harness: HarnessProcess | undefined;
  let sandbox: RunningSandbox | undefined;
  let listener: Awaited<ReturnType<typeof silentListener>> | undefined;
  let clientHome: string | undefined;

  /** xfreerdp processes dialling one of this sandbox's edge ports (found in /proc, killed by pid). */
  const ourClients = (): number[] => {
    const ports = sandbox?.store.snapshot().endpoints?.map((e) => /:(\d+)$/.exec(String(e.url))?.[1]) ?? [];
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          return cmd[0]?.endsWith('xfreerdp') && ports.some((p) => p && cmd.includes(`/v:127.0.0.1:${p}`));
        } catch {
          return false;
        }
      })
      .map(Number);
  };

  test.beforeAll(async () => {
    exportServicesEnv();
    listener = await silentListener();
    sandbox = await startSandbox({
      state: rdpFleet({ rdpPort: Number(testEnv(TestEnvNames.rdpPort)), listenerPort: listener.port }),
    });
    clientHome = mkdtempSync(path.join(os.tmpdir(), `sitehop-${name}-`));
    harness = await startHarnessProcess({
      SITEHOP_API_KEY: sandbox.apiKey,
      SITEHOP_API_URL: sandbox.apiUrl,
      SITEHOP_DEMO: '0',
      SITEHOP_KEYCHAIN_SERVICE: keychainService,
      DISPLAY: testEnv(TestEnvNames.rdpClientDisplay),
      HOME: clientHome,
      SITEHOP_TEST_RDP_AUTH_ONLY: '1',
    });
  });
  test.afterEach(() => {
    for (const pid of ourClients()) process.kill(pid, 'SIGKILL');
  });
  test.afterAll(async () => {
    await harness?.stop();
    await sandbox?.close();
    await listener?.close();
    spawnSync('secret-tool', ['clear', 'service', keychainService]);
    if (clientHome) rmSync(clientHome, { recursive: true, force: true });
  });

  return {
    url: () => {
      if (!harness) throw new Error('the RDP harness starts in beforeAll');
      return harness.url;
    },
    keychainService,
  };
}
