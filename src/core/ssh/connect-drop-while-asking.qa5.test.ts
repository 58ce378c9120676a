// A line that drops while the technician is still answering a question (the host key, a password) — an agent
// taken offline mid-login cuts the edge's connections — must end that login with "closed", and the late answer
// must go nowhere. Before, the answer was handed to ssh2 after the connection was gone, and ssh2 threw
// ("protocol._destruct is not a function") in a promise nobody handled: node ended the whole core process (the
// app, the harness) on that unhandled rejection.
// Real OpenSSH sshd (scripts/services.sh) behind a loopback proxy the test cuts (testing/tcp-proxy.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { testEnv, TestEnvNames } from '../../test-support/test-env';
import { connectSsh } from './connect';
import { openHostKeyPins } from './host-key-pins';
import type { SecretAnswer, SshPrompter } from './prompter';
import { SshFailure } from './ssh-errors';
import { startProxy, type ControlledProxy } from './testing/tcp-proxy';

let dir: string;
let proxy: ControlledProxy;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown): void => void uncaught.push(err);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-qa5-drop-'));
  proxy = await startProxy(Number(testEnv(TestEnvNames.sshdPort)));
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await proxy.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  uncaught.length = 0;
});

/** A prompter whose one question (`kind`) waits for the test's answer; it says when it is asked. */
function heldPrompter(kind: 'hostKey' | 'password', pinned: boolean) {
  let answer!: (a: unknown) => void;
  let asked!: () => void;
  const wasAsked = new Promise<void>((r) => (asked = r));
  const held = <T>(): Promise<T> =>
    new Promise<T>((r) => {
      answer = r as (a: unknown) => void;
      asked();
    });
  const prompter: SshPrompter = {
    hostKey: () => (kind === 'hostKey' ? held<boolean>() : Promise.resolve(pinned)),
    username: async () => null,
    password: () => (kind === 'password' ? held<SecretAnswer | null>() : Promise.resolve(null)),
    passphrase: async () => null,
    keyboardInteractive: async () => null,
  };
  return { prompter, wasAsked, answer: (a: unknown) => answer(a) };
}

async function dropWhileAsking(kind: 'hostKey' | 'password', late: unknown): Promise<unknown> {
  const held = heldPrompter(kind, true);
  const login = connectSsh({
    host: '127.0.0.1',
    port: proxy.port,
    workspaceId: 'ws_qa5',
    deviceId: 'office/frontdesk',
    username: testEnv(TestEnvNames.sshUser),
    facts: { address: `127.0.0.1:${proxy.port}`, allow: [], deny: [], agentOnline: true },
    pins: openHostKeyPins({ home: mkdtempSync(path.join(dir, 'home-')) }),
    prompter: held.prompter,
  }).then(
    () => null,
    (err: unknown) => err,
  );
  await held.wasAsked;
  proxy.cut();
  const failure = await login;
  // The technician answers after the line dropped; then give ssh2 a few turns of the loop to act on it.
  held.answer(late);
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20));
  return failure;
}

it('a host-key question answered after the line dropped: the login says closed, nothing throws', async () => {
  const failure = await dropWhileAsking('hostKey', true);
  expect(failure).toBeInstanceOf(SshFailure);
  expect((failure as SshFailure).message).toMatch(/closed/);
  expect(uncaught.map(String)).toEqual([]);
});

it('a host-key question refused after the line dropped: nothing throws', async () => {
  const failure = await dropWhileAsking('hostKey', false);
  expect(failure).toBeInstanceOf(SshFailure);
  expect(uncaught.map(String)).toEqual([]);
});

it('a password typed after the line dropped: the login says closed, nothing throws', async () => {
  const failure = await dropWhileAsking('password', { secret: 'too-late', remember: false });
  expect(failure).toBeInstanceOf(SshFailure);
  expect((failure as SshFailure).message).toMatch(/closed/);
  expect(uncaught.map(String)).toEqual([]);
});
