// The app's idle warm-up after a start (idle-warmup.ts), wired in createAppCore: once the window's first
// directory.head is answered (and the 2 s the whole directory gets first), the shown workspace's kept objects are
// resolved in idle slices, and the first refresh round runs when that ends. SITEHOP_IDLE_WARMUP=0 (and the CLI,
// which never creates an app core) leaves the first sync to resolve cold.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateFleet } from '../sandbox/generate/fleet';
import { SandboxStore } from '../sandbox/state/store';
import type { Result } from '../shared/contract';
import type { WorkspaceSummary } from '../shared/directory-types';
import { createAppCore, type AppCore } from './app-core';
import { resolveDirectory } from './directory/resolve';
import type { SyncSource } from './directory/sync-source';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from './ngrok/types';
import { memorySecretStore } from './secrets/testing/memory-secret-store';
import type { SecretStore } from './secrets/secret-store';

let home: string;
let core: AppCore | null = null;
const secrets: SecretStore = memorySecretStore();

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-warmup-'));
});
afterEach(async () => {
  await core?.close();
  core = null;
  rmSync(home, { recursive: true, force: true });
});

function fleetObjects(): AccountObjects {
  const store = new SandboxStore(
    generateFleet({ sites: 4, devices: 30, seed: 7, edgeHost: '1.tcp.ngrok.io' }),
  );
  return JSON.parse(
    JSON.stringify(Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)]))),
  ) as AccountObjects;
}

/** A core on `home` whose syncs answer the fleet (resolved for real) and are recorded in `events`. */
function startCore(events: string[], env: NodeJS.ProcessEnv = {}, now?: () => Date) {
  const timers: { fn: () => void; ms: number }[] = [];
  const source: SyncSource = async (request) => {
    events.push(`sync ${request.plan?.kind ?? 'full'}`);
    const objects = fleetObjects();
    return {
      sites: resolveDirectory(objects).sites,
      counts: {},
      account: { objects, watermark: null },
    };
  };
  const created = createAppCore({
    env,
    ...(now ? { now } : {}),
    demo: false,
    transport: 'harness',
    home,
    heartbeatMs: 3_600_000,
    secretStore: secrets,
    verifyKey: async () => undefined,
    syncSource: source,
    log: (line) => {
      if (line.includes('idle warm-up')) events.push(line);
    },
    backgroundRefresh: {
      timers: { setTimeout: (fn, ms) => timers.push({ fn, ms }), clearTimeout: () => undefined },
    },
  });
  return { core: created, timers };
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

/**
 * A workspace synced once three hours ago (its cache and kept objects on disk, so the next start's first round syncs
 * it) and shown last, then the core closed: a restart follows.
 */
async function syncedHome(): Promise<string> {
  const events: string[] = [];
  const first = startCore(events, {}, () => new Date(Date.now() - 3 * 3_600_000));
  const added = (await first.core.dispatch('workspace.add', {
    name: 'Acme',
    apiKey: 'k-123456',
  })) as Result<WorkspaceSummary>;
  if (!added.ok) throw new Error(added.error.message);
  await first.core.dispatch('ui.set', { lastWorkspaceId: added.value.id });
  await first.core.dispatch('directory.sync', { workspaceId: added.value.id });
  await first.core.close();
  return added.value.id;
}

/**
 * A restart on that home (syncedHome), with `env`, up to the window's first head answered: the warm-up's timer
 * (2 s after it) is among `timers`, not run yet.
 */
async function restartedToFirstHead(env: NodeJS.ProcessEnv = {}) {
  const id = await syncedHome();
  const events: string[] = [];
  const started = startCore(events, env);
  core = started.core;
  await core.dispatch('directory.head', { workspaceId: id, devices: 120 });
  await new Promise((r) => setTimeout(r, 10));
  return { id, events, app: started.core, timers: started.timers };
}

describe('the idle warm-up after a start', () => {
  it("resolves the shown workspace's kept objects after the window's first head, then runs the first round", async () => {
    const started = await restartedToFirstHead();
    const { events } = started;
    expect(started.timers.map((t) => t.ms)).toEqual([15_000, 2_000]);
    expect(events).toEqual([]);
    started.timers[1]!.fn();
    await until(() => events.some((e) => e.startsWith('sync')));
    expect(events).toEqual([expect.stringMatching(/idle warm-up of .* done: 4 passes/), 'sync full']);
  });

  it('is stopped for good by a sync asked for meanwhile', async () => {
    const { id, events, app, timers } = await restartedToFirstHead();
    timers[1]!.fn();
    // The refresh button, while the warm-up has its first slices to go.
    await app.dispatch('directory.sync', { workspaceId: id });
    await until(() => events.some((e) => e.includes('idle warm-up')));
    await new Promise((r) => setTimeout(r, 50));
    // The first round then finds the workspace just synced: no second sync.
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining(['sync full', expect.stringMatching(/idle warm-up of .* stopped: 0 passes/)]),
    );
  });

  it('does not run with SITEHOP_IDLE_WARMUP=0: the first round follows the window at once', async () => {
    const { events, timers } = await restartedToFirstHead({ SITEHOP_IDLE_WARMUP: '0' });
    timers[1]!.fn();
    await until(() => events.some((e) => e.startsWith('sync')));
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['sync full']);
  });

  it('does not run without background syncs (SITEHOP_BACKGROUND_SYNC=0): no first round to prepare', async () => {
    const { events, timers } = await restartedToFirstHead({ SITEHOP_BACKGROUND_SYNC: '0' });
    for (const timer of timers.splice(0)) timer.fn();
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual([]);
  });
});
