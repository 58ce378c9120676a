// The quit question's count through a real core: a live SSH session to the built-in demo's SSH device (a real
// in-process sandbox and SSH server) is counted by liveSessionsOf over core's dispatch, and asked about; once
// closed, quitting asks nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AppCore } from '../core/app-core';
import { createTestCore, okValue } from '../core/testing/test-core';
import { startDemo } from '../demo/start-demo';
import type { DirectorySnapshot } from '../shared/directory-types';
import type { SshPrompt, SshSessionInfo } from '../shared/session-types';
import { createQuitGate, liveSessionsOf, type QuitQuestion } from './shutdown';

let home: string;
let core: AppCore | undefined;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-quit-'));
});
afterEach(async () => {
  await core?.close();
  rmSync(home, { recursive: true, force: true });
});

it('counts a live SSH session through core, asks before quitting, and asks nothing once it is closed', async () => {
  core = createTestCore(home, { demo: true, startDemo, ssh: { keyPaths: [] } });
  const c = core;
  const snap = okValue<DirectorySnapshot>(await c.dispatch('directory.sync', { workspaceId: 'demo' }));
  const ssh = snap.sites
    .flatMap((s) => s.devices)
    .flatMap((d) => d.services)
    .find((svc) => svc.kind === 'ssh' && svc.online)!;
  const connected = new Promise<void>((resolve, reject) => {
    c.hub.subscribe((name, payload) => {
      if (name === 'ssh.prompt') {
        const p = payload as SshPrompt;
        void c.dispatch('ssh.answer', {
          sessionId: p.sessionId,
          promptId: p.promptId,
          accept: p.kind === 'hostKey',
        });
      }
      if (name === 'ssh.state') {
        const info = payload as SshSessionInfo;
        if (info.state === 'connected') resolve();
        if (info.state === 'failed') reject(new Error(info.message ?? 'failed'));
      }
    });
  });
  expect(await liveSessionsOf(c.dispatch)).toBe(0);
  const opened = okValue<SshSessionInfo>(
    await c.dispatch('ssh.open', {
      workspaceId: 'demo',
      serviceId: ssh.id,
      username: 'demo',
      cols: 80,
      rows: 24,
    }),
  );
  await connected;

  expect(await liveSessionsOf(c.dispatch)).toBe(1);
  const asked: QuitQuestion[] = [];
  const gate = createQuitGate({
    liveSessions: () => liveSessionsOf(c.dispatch),
    ask: async (q) => {
      asked.push(q);
      return false;
    },
  });
  expect(await gate.confirm()).toBe(false);
  expect(asked.map((q) => q.message)).toEqual(['Quit and close 1 live session?']);

  okValue(await c.dispatch('ssh.close', { sessionId: opened.sessionId }));
  expect(await liveSessionsOf(c.dispatch)).toBe(0);
  expect(await gate.confirm()).toBe(true);
  expect(asked).toHaveLength(1);
});
