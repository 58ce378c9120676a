// `sitehop host-keys forget` with a name that is neither a pinned id nor a device (runCli, the environment's
// workspace against the sandbox): two sentences, the second capitalised. It read '… for "nope/x". there is no
// device …', the resolver's sentence glued on as it starts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { runCli } from '../run';
import { captureIo } from '../testing/capture-io';

let sandbox: RunningSandbox;
let home: string;
beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false, edge: false });
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-forget-unknown-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('sitehop host-keys forget with an unknown name', () => {
  it('says no pin, then that there is no such device, as two sentences', async () => {
    const io = captureIo({
      SITEHOP_HOME: home,
      SITEHOP_API_KEY: sandbox.apiKey,
      SITEHOP_API_URL: sandbox.apiUrl,
    });
    expect(await runCli(['host-keys', 'forget', 'nope/x', '--yes'], io)).toBe(2);
    expect(io.err()).toMatch(
      /sitehop host-keys: no host key is pinned for "nope\/x"\. There is no device "nope\/x"/,
    );
  });
});
