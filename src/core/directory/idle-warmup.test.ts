// The idle warm-up's passes (idle-warmup.ts): the kept objects, a rehearsal with one agent gone as a status sync's
// merge makes it, the kept objects again; stopped for good by its signal or by another resolve. That the resolves
// after it equal a new process's is resolve-ahead.test.ts's property.
import { describe, expect, it } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { SandboxStore } from '../../sandbox/state/store';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../ngrok/types';
import { keptList } from './account-snapshot';
import { warmUpResolver, withOneAgentGone } from './idle-warmup';
import { resolveDirectory } from './resolve';

/** A fleet's objects as a sync keeps them (keptList: the fields the resolver reads, and created_at). */
function fleet(): AccountObjects {
  const store = new SandboxStore(
    generateFleet({ sites: 5, devices: 40, seed: 11, edgeHost: '1.tcp.ngrok.io' }),
  );
  return JSON.parse(
    JSON.stringify(Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, keptList(c, store.list(c))]))),
  ) as AccountObjects;
}

describe('idle warm-up', () => {
  it('rehearses with the middle agent gone: its session and agent endpoints dropped, every other object kept', () => {
    const objects = fleet();
    const sessions = objects.tunnel_sessions;
    const serving = sessions.filter((s) => objects.endpoints.some((e) => e.tunnel_session?.id === s.id));
    expect(serving.length).toBeGreaterThan(2);
    const gone = serving[Math.floor(serving.length / 2)]!;
    const without = withOneAgentGone(objects)!;
    expect(without.tunnel_sessions.map((s) => s.id)).toEqual(
      sessions.filter((s) => s !== gone).map((s) => s.id),
    );
    const dropped = objects.endpoints.filter((e) => e.tunnel_session?.id === gone.id);
    expect(dropped.length).toBeGreaterThan(0);
    const byId = (list: readonly { id?: string }[]) =>
      [...list].sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1));
    expect(byId(without.endpoints)).toEqual(byId(objects.endpoints.filter((e) => !dropped.includes(e))));
    // As a status answer brings them: the sessions and the endpoints of the newest instant as new objects (equal),
    // every other endpoint kept by identity.
    const newest = Math.max(...objects.endpoints.map((e) => Date.parse(e.created_at as string)));
    const relisted = without.endpoints.filter((e) => !objects.endpoints.includes(e));
    expect(relisted.length).toBeGreaterThan(0);
    for (const e of relisted) expect(Date.parse(e.created_at as string)).toBe(newest);
    expect(without.tunnel_sessions.some((s) => sessions.includes(s))).toBe(false);
    expect(withOneAgentGone({ ...objects, tunnel_sessions: [] })).toBeNull();
  });

  it('runs its three passes in slices, giving the event loop a turn before each', async () => {
    let turns = 0;
    const report = await warmUpResolver(
      fleet(),
      {},
      {
        nextTurn: async () => {
          turns++;
        },
      },
    );
    expect(report).toMatchObject({ state: 'done', passes: 3 });
    expect(report.slices).toBe(turns);
    expect(report.slices).toBeGreaterThan(6);
    // Without sessions there is nothing to rehearse: one pass.
    const lone = await warmUpResolver({ ...fleet(), tunnel_sessions: [] }, {});
    expect(lone).toMatchObject({ state: 'done', passes: 1 });
  });

  it('stops for good when its signal is aborted or another resolve begins, whatever the pass', async () => {
    for (const at of [1, 5, 12, 20]) {
      const stop = new AbortController();
      let turns = 0;
      const aborted = await warmUpResolver(
        fleet(),
        {},
        {
          signal: stop.signal,
          nextTurn: async () => {
            if (++turns === at) stop.abort();
          },
        },
      );
      expect(aborted.state).toBe('stopped');
      expect(turns).toBe(at);

      const objects = fleet();
      turns = 0;
      const cut = await warmUpResolver(
        objects,
        {},
        {
          nextTurn: async () => {
            if (++turns === at) resolveDirectory(objects);
          },
        },
      );
      expect(cut.state).toBe('stopped');
      expect(turns).toBe(at);
    }
  });
});
