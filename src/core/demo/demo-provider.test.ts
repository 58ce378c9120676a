// The built-in demo through the contract: a first run with no workspace lists the demo, whose directory comes
// from a real in-process sandbox (API + edge + SSH demo device); it steps aside once a real workspace exists.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectorySnapshot, WorkspaceSummary } from '../../shared/directory-types';
import { createAppCore, type AppCore, type CoreDeps } from '../app-core';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { DEMO_FLEET } from './demo-provider';

let home: string;
let core: AppCore | null = null;

function start(extra: Partial<CoreDeps> = {}): AppCore {
  core = createAppCore({
    transport: 'harness',
    home,
    heartbeatMs: 3_600_000,
    backgroundRefresh: false,
    secretStore: memorySecretStore(),
    env: {},
    log: () => undefined,
    ...extra,
  });
  return core;
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-demo-'));
});
afterEach(async () => {
  await core?.close();
  core = null;
  rmSync(home, { recursive: true, force: true });
});

describe('built-in demo workspace', () => {
  it('is the only workspace on a first run and syncs a real sandbox fleet', async () => {
    const { dispatch } = start();
    const list = (await dispatch('workspace.list', {})) as { ok: true; value: WorkspaceSummary[] };
    expect(list.value.map((w) => [w.id, w.source])).toEqual([['demo', 'demo']]);

    const synced = await dispatch('directory.sync', { workspaceId: 'demo' });
    expect(synced.ok).toBe(true);
    const snapshot = (synced as { ok: true; value: DirectorySnapshot }).value;
    expect(snapshot.sync.status).toBe('ok');
    expect(snapshot.sites).toHaveLength(DEMO_FLEET.sites);
    const services = snapshot.sites.flatMap((s) => s.devices.flatMap((d) => d.services));
    // The demo's SSH services reach the embedded demo device, so some of them are online.
    expect(services.some((s) => s.kind === 'ssh' && s.online && s.host === '127.0.0.1')).toBe(true);
    expect(services.every((s) => s.problem === null)).toBe(true);
  });

  it('cannot be renamed or removed', async () => {
    const { dispatch } = start();
    expect(await dispatch('workspace.rename', { id: 'demo', name: 'Mine' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await dispatch('workspace.remove', { id: 'demo' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('steps aside once a real workspace is added', async () => {
    const { dispatch } = start({ verifyKey: async () => undefined });
    const added = await dispatch('workspace.add', {
      name: 'Acme',
      apiUrl: 'http://127.0.0.1:9',
      apiKey: 'k',
    });
    expect(added.ok).toBe(true);
    const list = (await dispatch('workspace.list', {})) as { ok: true; value: WorkspaceSummary[] };
    expect(list.value.map((w) => w.name)).toEqual(['Acme']);
  });

  it('is off with SITEHOP_DEMO=0', async () => {
    const { dispatch } = start({ env: { SITEHOP_DEMO: '0' } });
    expect(await dispatch('workspace.list', {})).toEqual({ ok: true, value: [] });
  });
});
