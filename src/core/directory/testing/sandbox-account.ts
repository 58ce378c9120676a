// The sandbox set-ups the sync tests share, so each test file keeps only what it does to the account or between the
// core and the API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../../test-support/test-env';
import { RULES_STATE } from '../../../test-support/sync-e2e.fixture';
import type { AppCore } from '../../app-core';
import { startLoopback, type LoopbackServer } from '../../ngrok/testing/loopback-server';
import { createTestCore, type TestCoreOverrides } from '../../testing/test-core';
import { forwardToApi } from './forward-api';

/** Answers one request that reached the loopback server; `passOn` hands it to the sandbox's API as sent. */
export type Front = (req: IncomingMessage, res: ServerResponse, passOn: () => void) => void;

const passThrough: Front = (_req, _res, passOn) => passOn();

/** A loopback server in front of `sandbox`'s API: what `front` says, by default the sandbox's own answer. */
function startFront(sandbox: RunningSandbox, front: Front): Promise<LoopbackServer> {
  return startLoopback((req, res) => front(req, res, () => void forwardToApi(sandbox.apiUrl, req, res)));
}

export interface RulesAccount {
  /** The file's own API key (random: a test can look for it wherever it must not be). */
  readonly apiKey: string;
  /** The file's own service name in the real Secret Service; its items are cleared after the file. */
  readonly keychainService: string;
  /** The sandbox API serving RULES_STATE (set once the file's beforeAll has run). */
  sandbox(): RunningSandbox;
  /** The loopback server in front of the sandbox API: the URL to give the core so a test can stand between. */
  proxy(): LoopbackServer;
}

/**
 * The hand-written account that exercises every directory rule (RULES_STATE) for the calling test file, behind a
 * loopback server, with the file's own API key and keychain service name in the real Secret Service. Registers its
 * beforeAll (services checked, sandbox and server started) and afterAll (both closed, the keychain items cleared).
 * The sandbox enforces no rate limit unless `rateLimit` gives one.
 */
export function useRulesAccount(
  opts: { rateLimit?: StartSandboxOptions['rateLimit']; front?: Front } = {},
): RulesAccount {
  const apiKey = `sk_${randomUUID().replace(/-/g, '')}`;
  const keychainService = `sitehop-test-${randomUUID()}`;
  let sandbox: RunningSandbox | null = null;
  let proxy: LoopbackServer | null = null;
  beforeAll(async () => {
    exportServicesEnv();
    testEnv(TestEnvNames.dbusAddress);
    sandbox = await startSandbox({
      state: RULES_STATE,
      apiKey,
      edge: false,
      rateLimit: opts.rateLimit ?? false,
    });
    proxy = await startFront(sandbox, opts.front ?? passThrough);
  });
  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
    spawnSync('secret-tool', ['clear', 'service', keychainService]);
  });
  const started = <T>(what: string, value: T | null): T => {
    if (!value) throw new Error(`the rules account's ${what} is not started yet (used outside a test?)`);
    return value;
  };
  return {
    apiKey,
    keychainService,
    sandbox: () => started('sandbox', sandbox),
    proxy: () => started('proxy', proxy),
  };
}

export interface SandboxWorkspace {
  sandbox: RunningSandbox;
  /** The core's home (a fresh folder). */
  home: string;
  core: AppCore;
  /** The workspace "Acme" on the sandbox's account (through `proxy` when there is one). */
  wsId: string;
  /** The loopback server in front of the API (null without `front`); it records what reached it. */
  proxy: LoopbackServer | null;
}

export interface SandboxWorkspaceOptions {
  /** Takes each clean-up (close, remove) to run after the test. */
  defer: (cleanup: () => Promise<void> | void) => void;
  /** Over the defaults (no edge, no rate limit). */
  sandbox?: StartSandboxOptions;
  front?: Front;
  core?: TestCoreOverrides;
}

/**
 * A sandbox API (no edge, no rate limit unless `sandbox` says otherwise) and a test core on a fresh home with the
 * workspace "Acme" on it: its key in the core's in-memory keychain, added without a key check (`core` may say
 * otherwise). With `front`, a loopback server stands between the core and the API. Everything is handed to `defer`
 * to be closed and removed after the test.
 */
export async function openSandboxWorkspace(
  opts: SandboxWorkspaceOptions & { front: Front },
): Promise<SandboxWorkspace & { proxy: LoopbackServer }>;
export async function openSandboxWorkspace(opts: SandboxWorkspaceOptions): Promise<SandboxWorkspace>;
export async function openSandboxWorkspace(opts: SandboxWorkspaceOptions): Promise<SandboxWorkspace> {
  const sandbox = await startSandbox({ edge: false, rateLimit: false, ...opts.sandbox });
  opts.defer(() => sandbox.close());
  const proxy = opts.front ? await startFront(sandbox, opts.front) : null;
  if (proxy) opts.defer(() => proxy.close());
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-sandbox-ws-'));
  opts.defer(() => rmSync(home, { recursive: true, force: true }));
  const core = createTestCore(home, { verifyKey: async () => undefined, ...opts.core });
  opts.defer(() => core.close());
  const ws = await core.services.workspaces.add({
    name: 'Acme',
    apiUrl: proxy?.url ?? sandbox.apiUrl,
    apiKey: sandbox.apiKey,
  });
  return { sandbox, home, core, wsId: ws.id, proxy };
}
