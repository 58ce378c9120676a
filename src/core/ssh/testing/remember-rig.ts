// TEST HELPER: a login to the real sshd (through the sandbox edge) with an encrypted copy of the test key whose
// passphrase the technician types with "Remember" ticked (or with the password, ticked the same way), through the
// session manager: what the terminal showed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { testEnv, TestEnvNames } from '../../../test-support/test-env';
import type { DeviceCredentials } from '../../secrets/device-credentials';
import { edgeTo, type EdgeFixture } from './edge-to';
import { managerFixture, type Answerer, SERVICE_ID, WORKSPACE } from './manager-fixture';

export const PASSPHRASE = 'fixes1 horse';

export interface RememberRig {
  dir: string;
  /** Logs in, answering the passphrase (or password) with "Remember"; resolves with the terminal's output once a shell ran. */
  login(credentials: DeviceCredentials, secret?: 'passphrase' | 'password'): Promise<string>;
  close(): Promise<void>;
}

export async function rememberRig(): Promise<RememberRig> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-remember-'));
  const keyFile = path.join(dir, 'enc_ed25519');
  writeFileSync(keyFile, readFileSync(testEnv(TestEnvNames.sshKey)), { mode: 0o600 });
  execFileSync('ssh-keygen', ['-q', '-p', '-f', keyFile, '-N', PASSPHRASE, '-P', '']);
  const edge: EdgeFixture = await edgeTo(Number(testEnv(TestEnvNames.sshdPort)));
  const user = testEnv(TestEnvNames.sshUser);
  const answer: Answerer = (p) => {
    if (p.kind === 'hostKey') return { accept: true };
    if (p.kind === 'username') return { accept: true, answers: [user] };
    if (p.kind === 'passphrase') return { accept: true, answers: [PASSPHRASE], remember: true };
    if (p.kind === 'password')
      return { accept: true, answers: [testEnv(TestEnvNames.sshPassword)], remember: true };
    return null;
  };
  const closers: Array<() => void> = [];
  return {
    dir,
    login: async (credentials, secret = 'passphrase') => {
      const f = managerFixture(edge.port, answer, {
        credentials,
        keyPaths: secret === 'passphrase' ? [keyFile] : [],
      });
      closers.push(() => f.manager.closeAll());
      const info = f.manager.open({ workspaceId: WORKSPACE, serviceId: SERVICE_ID, cols: 80, rows: 24 });
      f.manager.attach(info.sessionId, 80, 24);
      await f.waitState(info.sessionId, 'connected', 20_000);
      expect(f.prompts.map((p) => p.kind)).toEqual(['username', 'hostKey', secret]);
      // The shell is there: the key, decrypted with the typed passphrase, logged in.
      f.manager.input(info.sessionId, 'echo logged-in-$((6*7))\n');
      await f.waitOutput(info.sessionId, /logged-in-42/);
      const out = f.output(info.sessionId);
      f.manager.closeAll();
      return out;
    },
    close: async () => {
      for (const c of closers.splice(0)) c();
      await edge.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
