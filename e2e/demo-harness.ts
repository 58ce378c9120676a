// A harness on the built-in demo (no workspace: the demo sandbox starts inside it) with a keychain service of its
// own, for the calling spec file (beforeAll / afterAll): the set-up of the specs that drive the demo's SSH device.
import { test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

/** The harness of the file, once its beforeAll has run; `name` goes into the keychain service's name. */
export function useDemoHarness(name: string): () => HarnessProcess {
  let harness: HarnessProcess | undefined;
  test.beforeAll(async () => {
    exportServicesEnv();
    harness = await startHarnessProcess({
      SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-${name}-${randomBytes(4).toString('hex')}`,
    });
  });
  test.afterAll(async () => {
    await harness?.stop();
  });
  return () => harness!;
}
