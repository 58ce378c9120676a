// A sandbox account whose SSH services reach the real test sshd through the sandbox edge and a proxy that can drop
// the line (generateFleet seed 7: one site, two devices, one SSH service online), the devices' metadata naming the
// test sshd's user as a service company's would, served to a harness through SITEHOP_API_KEY: the set-up of the UI
// specs that log in for real.
import { test } from '@playwright/test';
import { generateFleet } from '../src/sandbox/generate/fleet';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { startProxy, type ControlledProxy } from '../src/core/ssh/testing/tcp-proxy';
import { exportServicesEnv, testEnv, TestEnvNames } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

export interface SshdHarness {
  harness(): HarnessProcess;
  sandbox(): RunningSandbox;
  /** The proxy between the edge and the sshd (`cut()` drops the line). */
  proxy(): ControlledProxy;
}

/** The sandbox, the proxy and a harness on the account, for the calling spec file (beforeAll / afterAll). */
export function useSshdHarness(keychainService: string): SshdHarness {
  let harness: HarnessProcess | undefined;
  let sandbox: RunningSandbox | undefined;
  let proxy: ControlledProxy | undefined;
  test.beforeAll(async () => {
    exportServicesEnv();
    proxy = await startProxy(Number(testEnv(TestEnvNames.sshdPort)));
    const state = generateFleet({
      sites: 1,
      devices: 2,
      seed: 7,
      edgeHost: '127.0.0.1',
      sshUpstream: `tcp://127.0.0.1:${proxy.port}`,
      rdpUpstream: null,
    });
    for (const ep of state.endpoints ?? [])
      if (typeof ep.metadata === 'string')
        ep.metadata = ep.metadata.replace(
          '"username":"tech"',
          `"username":"${testEnv(TestEnvNames.sshUser)}"`,
        );
    sandbox = await startSandbox({ state });
    harness = await startHarnessProcess({
      SITEHOP_API_KEY: sandbox.apiKey,
      SITEHOP_API_URL: sandbox.apiUrl,
      SITEHOP_DEMO: '0',
      SITEHOP_KEYCHAIN_SERVICE: keychainService,
    });
  });
  test.afterAll(async () => {
    await harness?.stop();
    await sandbox?.close();
    await proxy?.close();
  });
  return { harness: () => harness!, sandbox: () => sandbox!, proxy: () => proxy! };
}
