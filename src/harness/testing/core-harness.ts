// A real core behind a real harness on loopback, for tests: a temp folder holds the core's home and a one-page
// renderer folder. Static-file tests may add files beside `renderer` (outside what the harness serves).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppCore, CoreDeps } from '../../core/app-core';
import { createTestCore } from '../../core/testing/test-core';
import { startHarness, type Harness } from '../server';

export interface CoreHarness {
  dir: string;
  core: AppCore;
  harness: Harness;
  close(): Promise<void>;
}

export async function startCoreHarness(
  prefix: string,
  core: Partial<Pick<CoreDeps, 'heartbeatMs'>> = {},
): Promise<CoreHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  mkdirSync(path.join(dir, 'renderer'));
  writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  const app = createTestCore(path.join(dir, 'home'), core);
  const harness = await startHarness({
    rendererDir: path.join(dir, 'renderer'),
    dispatch: app.dispatch,
    hub: app.hub,
  });
  return {
    dir,
    core: app,
    harness,
    close: async () => {
      await harness.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
