// A sandbox account (2 sites, 6 devices) whose API the harness reaches through a loopback HTTP server the spec
// decides for: pass a request on, drop it, hold it, delay it. Background syncs are off, so only the technician's
// syncs (and the spec's) reach ngrok. The set-up of the specs about ngrok going away and coming back.
import { test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardToApi } from '../src/core/directory/testing/forward-api';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

/** Answers one request to the API: `passOn()` forwards it to the sandbox; anything else is the spec's. */
export type Front = (req: IncomingMessage, res: ServerResponse, passOn: () => void) => void;

/** The harness of the file, once its beforeAll has run; `name` goes into the keychain service's name. */
export function useFrontedHarness(name: string, front: Front): () => HarnessProcess {
  let sandbox: RunningSandbox | undefined;
  let harness: HarnessProcess | undefined;
  const api = createServer((req, res) =>
    front(req, res, () => void forwardToApi(sandbox!.apiUrl, req, res).catch(() => res.destroy())),
  );
  test.beforeAll(async () => {
    exportServicesEnv();
    sandbox = await startSandbox({ generate: { sites: 2, devices: 6, seed: 7 } });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    harness = await startHarnessProcess({
      SITEHOP_API_KEY: sandbox.apiKey,
      SITEHOP_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      SITEHOP_DEMO: '0',
      SITEHOP_BACKGROUND_SYNC: '0',
      SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-${name}-${randomBytes(4).toString('hex')}`,
    });
  });
  test.afterAll(async () => {
    await harness?.stop();
    // Held requests keep their sockets open: close them, or the server's close waits for them.
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
    await sandbox?.close();
  });
  return () => harness!;
}
