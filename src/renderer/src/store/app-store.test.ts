// The store's request ordering with a fake client whose answers arrive when the test says: the snapshot of the
// workspace picked last wins even when an older answer arrives later, and a sync answer for a workspace the
// technician left is dropped.
import { describe, expect, it } from 'vitest';
import type { CallName } from '../../../shared/contract';
import type { DirectorySnapshot, WorkspaceSummary } from '../../../shared/directory-types';
import type { Client } from '../api/client';
import { fixtureDevice, fixtureSite } from '../../../shared/testing/directory-fixtures';
import { createAppStore, showsWelcome } from './app-store';

interface Pending {
  name: CallName;
  input: unknown;
  resolve: (v: unknown) => void;
}

function fakeClient() {
  const pending: Pending[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const client: Client = {
    transport: 'harness',
    fatal: undefined,
    call: ((name: CallName, input: unknown) =>
      new Promise((resolve) =>
        pending.push({ name, input, resolve: resolve as (v: unknown) => void }),
      )) as Client['call'],
    on: ((name: string, listener: (payload: unknown) => void) => {
      listeners.set(name, listener);
      return () => undefined;
    }) as Client['on'],
    onStatus: () => () => undefined,
  };
  const emit = (name: string, payload: unknown): void => listeners.get(name)?.(payload);
  const answer = (name: CallName, workspaceId: string, value: unknown) => {
    const at = pending.findIndex(
      (p) => p.name === name && (p.input as { workspaceId?: string }).workspaceId === workspaceId,
    );
    if (at === -1) throw new Error(`no pending ${name} for ${workspaceId}`);
    pending.splice(at, 1)[0]!.resolve(value);
  };
  return { client, pending, answer, emit };
}

const snap = (workspaceId: string, syncedAt = '2026-11-29T10:00:00Z'): DirectorySnapshot => ({
  workspaceId,
  syncedAt,
  sync: { status: 'ok', message: null },
  sites: [],
  favorites: [],
  recents: [],
});
const flush = () => new Promise((r) => setTimeout(r, 0));
/** A first screen of a bigger directory: the store then asks for the whole one. */
const head = (workspaceId: string) => ({ ...snap(workspaceId), totalSites: 5, totalDevices: 50 });

describe('app store request ordering', () => {
  it('shows the snapshot of the workspace picked last, whatever order the answers arrive in', async () => {
    const { client, answer, pending } = fakeClient();
    const store = createAppStore(client);
    const first = store.getState().workspaceChosen('ws_a');
    const second = store.getState().workspaceChosen('ws_b');
    answer('directory.head', 'ws_b', head('ws_b'));
    await flush();
    answer('directory.get', 'ws_b', snap('ws_b'));
    await second;
    answer('directory.head', 'ws_a', head('ws_a'));
    await first;
    // The stale head asked for nothing more.
    expect(pending.filter((p) => p.name === 'directory.get')).toEqual([]);
    expect(store.getState().workspaceId).toBe('ws_b');
    expect(store.getState().snapshot?.workspaceId).toBe('ws_b');
  });

  it('drops a sync answer for a workspace the technician has left', async () => {
    const { client, answer } = fakeClient();
    const store = createAppStore(client);
    const chosen = store.getState().workspaceChosen('ws_a');
    answer('directory.head', 'ws_a', { ...snap('ws_a'), totalSites: 0, totalDevices: 0 });
    await chosen;
    const refresh = store.getState().refreshRequested();
    const moved = store.getState().workspaceChosen('ws_b');
    answer('directory.head', 'ws_b', head('ws_b'));
    await flush();
    answer('directory.get', 'ws_b', snap('ws_b'));
    await moved;
    answer('directory.refresh', 'ws_a', {
      syncedAt: '2026-11-29T11:00:00Z',
      sync: { status: 'ok', message: null },
    });
    await refresh;
    await flush();
    expect(store.getState().snapshot?.workspaceId).toBe('ws_b');
    expect(store.getState().snapshot?.syncedAt).toBe('2026-11-29T10:00:00Z');
  });

  it("a first sync's failure event that comes before the answer read earlier ('syncing') stays shown", async () => {
    const { client, answer, emit } = fakeClient();
    const store = createAppStore(client);
    store.getState().started();
    const never = { ...snap('ws_a'), syncedAt: null, sync: { status: 'never' as const, message: null } };
    const chosen = store.getState().workspaceChosen('ws_a');
    answer('directory.head', 'ws_a', { ...never, totalSites: 0, totalDevices: 0 });
    await flush();
    // directory.get started the first sync: its events come first, then the answer the core read before the failure.
    const failed = { status: 'error' as const, message: 'The OS keychain is not available: unlock it.' };
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: null,
      sync: { status: 'syncing', message: null },
    });
    emit('directory.changed', { workspaceId: 'ws_a', syncedAt: null, sync: failed });
    answer('directory.get', 'ws_a', { ...never, sync: { status: 'syncing', message: null } });
    await chosen;
    expect(store.getState().snapshot?.sync).toEqual(failed);
  });

  it('a refresh reads no directory: the sites come with the change event, the answer brings the outcome', async () => {
    const { client, answer, pending, emit } = fakeClient();
    const store = createAppStore(client);
    store.getState().started();
    const chosen = store.getState().workspaceChosen('ws_a');
    answer('directory.head', 'ws_a', { ...snap('ws_a'), totalSites: 0, totalDevices: 0 });
    await chosen;
    const refresh = store.getState().refreshRequested();
    expect(store.getState().refreshing).toBe(true);
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:02:00Z',
      sync: { status: 'ok', message: null },
      delta: { from: '2026-11-29T10:00:00Z', ids: [], sites: [] },
    });
    answer('directory.refresh', 'ws_a', {
      syncedAt: '2026-11-29T10:02:00Z',
      sync: { status: 'ok', message: null },
    });
    await refresh;
    expect(store.getState().refreshing).toBe(false);
    expect(store.getState().snapshot?.syncedAt).toBe('2026-11-29T10:02:00Z');
    expect(pending.filter((p) => p.name.startsWith('directory.'))).toEqual([]);
  });

  it('keeps the same sites array when a re-read brings the same sync', async () => {
    const { client, answer } = fakeClient();
    const store = createAppStore(client);
    const a = store.getState().workspaceChosen('ws_a');
    answer('directory.head', 'ws_a', head('ws_a'));
    await flush();
    expect(store.getState().partial).toEqual({ totalSites: 5, totalDevices: 50 });
    answer('directory.get', 'ws_a', snap('ws_a'));
    await a;
    expect(store.getState().partial).toBeNull();
    const sites = store.getState().snapshot!.sites;
    const again = store.getState().workspaceChosen('ws_a');
    answer('directory.get', 'ws_a', { ...snap('ws_a'), sites: [] });
    await again;
    expect(store.getState().snapshot!.sites).toBe(sites);
  });

  it('remembers the workspace picked, but does not write it again when it is the remembered one', async () => {
    const { client, answer, pending } = fakeClient();
    const store = createAppStore(client);
    const ui = (lastWorkspaceId: string) => ({
      theme: 'system' as const,
      view: 'cards' as const,
      welcome: 'account' as const,
      lastWorkspaceId,
      demoPinned: false,
      demoAvailable: false,
    });
    store.setState({ ui: ui('ws_a') });
    const writes = () =>
      pending
        .filter((p) => p.name === 'ui.set')
        .map((p) => (p.input as { lastWorkspaceId: string }).lastWorkspaceId);
    const a = store.getState().workspaceChosen('ws_a');
    expect(writes()).toEqual([]);
    answer('directory.head', 'ws_a', { ...snap('ws_a'), totalSites: 0, totalDevices: 0 });
    await a;
    const b = store.getState().workspaceChosen('ws_b');
    expect(writes()).toEqual(['ws_b']);
    pending.find((p) => p.name === 'ui.set')!.resolve(ui('ws_b'));
    pending.splice(
      pending.findIndex((p) => p.name === 'ui.set'),
      1,
    );
    answer('directory.head', 'ws_b', { ...snap('ws_b'), totalSites: 0, totalDevices: 0 });
    await b;
    // Back to the first one: the core remembers ws_b now, so it is written again.
    const back = store.getState().workspaceChosen('ws_a');
    expect(writes()).toEqual(['ws_a']);
    answer('directory.head', 'ws_a', { ...snap('ws_a'), totalSites: 0, totalDevices: 0 });
    await back;
  });
});

/** The UI prefs of a technician who last showed ws_a. */
const ui = {
  theme: 'system' as const,
  view: 'cards' as const,
  welcome: 'account' as const,
  lastWorkspaceId: 'ws_a',
  demoPinned: false,
  demoAvailable: false,
};

describe('app store start', () => {
  const workspaces = [
    { id: 'ws_a', name: 'A', source: 'account', lastSyncedAt: null },
  ] as unknown as WorkspaceSummary[];

  /** Starts a store on a connected fake client and answers the start's own three calls. */
  async function start() {
    const fake = fakeClient();
    const store = createAppStore({ ...fake.client, onStatus: (l) => (l(true), () => undefined) });
    const seen: { ui: boolean; snapshot: boolean; error: string | null }[] = [];
    store.subscribe((s) => seen.push({ ui: s.ui !== null, snapshot: s.snapshot !== null, error: s.error }));
    store.getState().started();
    const answer = (name: CallName, value: unknown) =>
      fake.pending
        .splice(
          fake.pending.findIndex((p) => p.name === name),
          1,
        )[0]!
        .resolve(value);
    answer('app.info', { name: 'SiteHop', version: '0', platform: 'linux', transport: 'harness' });
    answer('workspace.list', workspaces);
    answer('ui.get', ui);
    await flush();
    return { ...fake, store, seen };
  }

  it("shows the window together with the directory's first screen: one update, not an empty shell first", async () => {
    const { store, seen, answer, pending } = await start();
    // The head is asked for before anything else the start needs, and nothing is shown while it is on its way.
    expect(pending.map((p) => p.name)).toEqual(['directory.head', 'ssh.list', 'rdp.list']);
    expect(store.getState().ui).toBeNull();
    answer('directory.head', 'ws_a', { ...snap('ws_a'), totalSites: 0, totalDevices: 0 });
    await flush();
    const shown = seen.filter((s) => s.ui);
    expect(shown[0]).toEqual({ ui: true, snapshot: true, error: null });
    expect(store.getState().info?.name).toBe('SiteHop');
    expect(store.getState().workspaces).toEqual(workspaces);
  });

  it('still shows the window when the first screen cannot be read, with what went wrong', async () => {
    // A fake whose head call fails: the start's state and the error arrive together.
    const failing = createAppStore({
      ...fakeClient().client,
      onStatus: (l) => (l(true), () => undefined),
      call: ((name: CallName) =>
        name === 'directory.head'
          ? Promise.reject(new Error('The cache could not be read.'))
          : Promise.resolve(
              name === 'workspace.list' ? workspaces : name === 'ui.get' ? ui : name === 'app.info' ? {} : [],
            )) as Client['call'],
    });
    failing.getState().started();
    await flush();
    await flush();
    expect(failing.getState().ui).toEqual(ui);
    expect(failing.getState().error).toBe('The cache could not be read.');
  });
});

describe('a directory change from the core', () => {
  /** A started store showing workspace ws_a's whole directory (synced at 10:00) of these sites. */
  async function showing(sites: DirectorySnapshot['sites'] = []) {
    const fake = fakeClient();
    const store = createAppStore(fake.client);
    store.getState().started();
    const chosen = store.getState().workspaceChosen('ws_a');
    fake.answer('directory.head', 'ws_a', head('ws_a'));
    await flush();
    fake.answer('directory.get', 'ws_a', { ...snap('ws_a'), sites });
    await chosen;
    const gets = (): number => fake.pending.filter((p) => p.name === 'directory.get').length;
    return { ...fake, store, gets };
  }

  it('takes a new sync state of the directory shown without reading it again, and reads another one whole', async () => {
    const { answer, emit, store, gets } = await showing();

    // A sync starts, then fails: the same directory, so nothing is read again.
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:00:00Z',
      sync: { status: 'syncing', message: null },
    });
    expect(store.getState().snapshot?.sync.status).toBe('syncing');
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:00:00Z',
      sync: { status: 'offline', message: 'The API did not answer.' },
    });
    expect(store.getState().snapshot?.sync).toEqual({
      status: 'offline',
      message: 'The API did not answer.',
    });
    expect(gets()).toBe(0);
    // Another workspace's change touches nothing here.
    emit('directory.changed', { workspaceId: 'ws_b', syncedAt: null, sync: { status: 'ok', message: null } });
    expect(gets()).toBe(0);

    // A sync that kept a new directory: read it whole.
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:05:00Z',
      sync: { status: 'ok', message: null },
    });
    expect(gets()).toBe(1);
    answer('directory.get', 'ws_a', snap('ws_a', '2026-11-29T10:05:00Z'));
    await flush();
    expect(store.getState().snapshot?.syncedAt).toBe('2026-11-29T10:05:00Z');
    // A change that does not say which directory (an older core): read it whole.
    emit('directory.changed', { workspaceId: 'ws_a' });
    expect(gets()).toBe(1);
  });

  it('takes the sites a delta carries from the directory shown, and reads whole a delta from another one', async () => {
    const one = fixtureSite('s1', 'Clinic 1', [fixtureDevice('s1', 'pc', 'ssh', 20_001)]);
    const two = fixtureSite('s2', 'Clinic 2', [fixtureDevice('s2', 'pc', 'ssh', 20_002)]);
    const { answer, emit, store, gets } = await showing([one, two]);
    const shown = store.getState().snapshot!.sites;
    const ok = { status: 'ok', message: null } as const;

    // Nothing changed: a new sync time over the very sites shown (the search index is not rebuilt).
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:02:00Z',
      sync: ok,
      delta: { from: '2026-11-29T10:00:00Z', ids: ['s1', 's2'], sites: [] },
    });
    expect(store.getState().snapshot?.syncedAt).toBe('2026-11-29T10:02:00Z');
    expect(store.getState().snapshot?.sites).toBe(shown);
    // One site's agent went offline: that site only.
    const down = { ...two, online: false, agentLastSeenAt: '2026-11-29T10:02:00Z' };
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:04:00Z',
      sync: ok,
      delta: { from: '2026-11-29T10:02:00Z', ids: ['s1', 's2'], sites: [down] },
    });
    expect(store.getState().snapshot?.sites).toEqual([one, down]);
    expect(store.getState().snapshot?.sites[0]).toBe(shown[0]);
    expect(gets()).toBe(0);

    // A delta from a directory this window does not show: read the new one whole.
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:08:00Z',
      sync: ok,
      delta: { from: '2026-11-29T10:06:00Z', ids: ['s1'], sites: [] },
    });
    expect(gets()).toBe(1);
    answer('directory.get', 'ws_a', { ...snap('ws_a', '2026-11-29T10:08:00Z'), sites: [one] });
    await flush();
    expect(store.getState().snapshot?.sites).toEqual([one]);
  });

  it('reads the whole directory when a delta arrives while only its head is shown', async () => {
    const { client, answer, pending, emit } = fakeClient();
    const store = createAppStore(client);
    store.getState().started();
    void store.getState().workspaceChosen('ws_a');
    answer('directory.head', 'ws_a', head('ws_a'));
    await flush();
    expect(store.getState().partial).not.toBeNull();
    emit('directory.changed', {
      workspaceId: 'ws_a',
      syncedAt: '2026-11-29T10:02:00Z',
      sync: { status: 'ok', message: null },
      delta: { from: '2026-11-29T10:00:00Z', ids: [], sites: [] },
    });
    expect(pending.filter((p) => p.name === 'directory.get')).toHaveLength(2);
  });
});

it("keeps the sync's numbers between its collections and drops them when the sync is over", () => {
  const { client, emit } = fakeClient();
  const store = createAppStore(client);
  store.getState().started();
  store.setState({ workspaceId: 'ws_a' });
  const progress = { workspaceId: 'ws_a', mode: 'full' as const, pagesEstimated: 1 };
  emit('directory.progress', {
    ...progress,
    resource: 'endpoints',
    pagesDone: 0,
    done: false,
    requestsDone: 3,
    requestsNeeded: 9,
  });
  // One collection done, more to read: the bar keeps its numbers (it showed a bar without any until the next one).
  emit('directory.progress', {
    ...progress,
    resource: 'endpoints',
    pagesDone: 1,
    done: true,
    requestsDone: 4,
    requestsNeeded: 9,
  });
  expect(store.getState().progress).toMatchObject({ requestsDone: 4, requestsNeeded: 9 });
  emit('directory.progress', {
    ...progress,
    resource: 'credentials',
    pagesDone: 1,
    done: true,
    requestsDone: 9,
    requestsNeeded: 9,
  });
  expect(store.getState().progress).toBeNull();
  // A sync that ends early (offline) ends its bar too.
  emit('directory.progress', {
    ...progress,
    resource: 'endpoints',
    pagesDone: 1,
    done: true,
    requestsDone: 4,
    requestsNeeded: 9,
  });
  emit('directory.changed', {
    workspaceId: 'ws_a',
    syncedAt: null,
    sync: { status: 'offline', message: null },
  });
  expect(store.getState().progress).toBeNull();
});

describe('what another process changed in the shared home (the core’s home watch)', () => {
  const a = {
    id: 'ws_a',
    name: 'Acme',
    source: 'account',
    lastSyncedAt: null,
  } as unknown as WorkspaceSummary;
  const b = {
    id: 'ws_b',
    name: 'Bravo',
    source: 'account',
    lastSyncedAt: null,
  } as unknown as WorkspaceSummary;

  /** A started store showing ws_a of the workspaces A and B; `reply` answers every pending call of a name. */
  async function opened() {
    const fake = fakeClient();
    const store = createAppStore({ ...fake.client, onStatus: (l) => (l(true), () => undefined) });
    const reply = (name: CallName, value: unknown): number => {
      let n = 0;
      for (let at = fake.pending.findIndex((p) => p.name === name); at !== -1; n++) {
        fake.pending.splice(at, 1)[0]!.resolve(value);
        at = fake.pending.findIndex((p) => p.name === name);
      }
      return n;
    };
    store.getState().started();
    reply('app.info', { name: 'SiteHop', version: '0', platform: 'linux', transport: 'harness' });
    reply('workspace.list', [a, b]);
    reply('ui.get', ui);
    await flush();
    reply('directory.head', { ...snap('ws_a'), totalSites: 0, totalDevices: 0 });
    await flush();
    expect(store.getState().snapshot?.workspaceId).toBe('ws_a');
    return { ...fake, store, reply };
  }

  it("takes the shown workspace's favorites and recents, and leaves another's and an equal list alone", async () => {
    const { store, emit } = await opened();
    emit('records.changed', { workspaceId: 'ws_b', favorites: ['site/b'], recents: ['site/b'] });
    expect(store.getState().snapshot?.favorites).toEqual([]);
    emit('records.changed', { workspaceId: 'ws_a', favorites: ['site/star'], recents: ['site/dev'] });
    const shown = store.getState().snapshot;
    expect(shown?.favorites).toEqual(['site/star']);
    expect(shown?.recents).toEqual(['site/dev']);
    // The core's own write comes back too: the same lists change nothing (no new snapshot, no re-render).
    emit('records.changed', { workspaceId: 'ws_a', favorites: ['site/star'], recents: ['site/dev'] });
    expect(store.getState().snapshot).toBe(shown);
  });

  it('leaves a workspace removed in another process for the next one, with a toast that says so', async () => {
    const { store, emit, reply } = await opened();
    emit('workspaces.changed', {});
    expect(reply('workspace.list', [b])).toBe(1);
    await flush();
    reply('directory.head', { ...snap('ws_b'), totalSites: 0, totalDevices: 0 });
    await flush();
    expect(store.getState().workspaceId).toBe('ws_b');
    expect(store.getState().workspaces).toEqual([b]);
    expect(store.getState().toast).toBe('“Acme” was removed outside this window.');
  });

  it('shows a workspace added elsewhere while the window shows none (the welcome), as a start with it would', async () => {
    const fake = fakeClient();
    const store = createAppStore({ ...fake.client, onStatus: (l) => (l(true), () => undefined) });
    const reply = (name: CallName, value: unknown): void =>
      fake.pending
        .splice(
          fake.pending.findIndex((p) => p.name === name),
          1,
        )[0]!
        .resolve(value);
    store.getState().started();
    reply('app.info', { name: 'SiteHop', version: '0', platform: 'linux', transport: 'harness' });
    reply('workspace.list', []);
    reply('ui.get', { ...ui, lastWorkspaceId: null });
    await flush();
    expect(showsWelcome(store.getState())).toBe(true);
    // `sitehop workspace add` in a terminal beside it.
    fake.emit('workspaces.changed', {});
    reply('workspace.list', [a]);
    await flush();
    expect(store.getState().workspaceId).toBe('ws_a');
    expect(fake.pending.map((p) => p.name)).toContain('directory.head');
    expect(showsWelcome(store.getState())).toBe(false);
  });

  it('closes the manage and key dialogs of a workspace removed elsewhere, and opens none for the one shown next', async () => {
    const { store, emit, reply } = await opened();
    store.getState().manageRequested('ws_a');
    store.getState().rekeyRequested('ws_a');
    emit('workspaces.changed', {});
    reply('workspace.list', [b]);
    await flush();
    expect(store.getState().manageId).toBeNull();
    expect(store.getState().rekeyId).toBeNull();
    expect(store.getState().toast).toBe('“Acme” was removed outside this window.');
    expect(store.getState().workspaceId).toBe('ws_b');
  });

  it('keeps the manage dialog open on a workspace renamed elsewhere, the list holding its new name', async () => {
    const { store, emit, reply } = await opened();
    store.getState().manageRequested('ws_a');
    emit('workspaces.changed', {});
    reply('workspace.list', [{ ...a, name: 'Acme North' }, b]);
    await flush();
    expect(store.getState().manageId).toBe('ws_a');
    expect(store.getState().workspaces[0]?.name).toBe('Acme North');
    expect(store.getState().toast).toBeNull();
  });

  it('says that the last workspace was removed elsewhere while going to the welcome', async () => {
    const { store, emit, reply } = await opened();
    store.getState().manageRequested('ws_a');
    emit('workspaces.changed', {});
    reply('workspace.list', []);
    await flush();
    expect(showsWelcome(store.getState())).toBe(true);
    expect(store.getState().manageId).toBeNull();
    expect(store.getState().toast).toBe('“Acme” was removed outside this window.');
  });

  it("does not take the window's own removal for one made elsewhere when the list change is told first", async () => {
    const { store, emit, reply } = await opened();
    const removal = store.getState().workspaceRemoved('ws_a');
    reply('workspace.remove', undefined);
    await flush();
    // The home watch's event comes before the removal's own list read is answered.
    emit('workspaces.changed', {});
    await flush();
    reply('workspace.list', [b]);
    await flush();
    reply('directory.head', { ...snap('ws_b'), totalSites: 0, totalDevices: 0 });
    expect(await removal).toBeNull();
    expect(store.getState().workspaceId).toBe('ws_b');
    expect(store.getState().toast).toBeNull();
  });
});
