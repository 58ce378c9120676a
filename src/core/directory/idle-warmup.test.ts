// The idle warm-up's passes (idle-warmup.ts): the kept objects, a rehearsal with one agent gone as a status sync's
// merge makes it, one of every record re-listed as a full sync's pages bring them, the kept objects again; stopped
// for good by its signal or by another resolve. That the resolves
// after it equal a new process's is resolve-ahead.test.ts's property.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../ngrok/types';
import { relistedAsFull, warmUpResolver, withOneAgentGone } from './idle-warmup';
import { notedEqual } from './resolve-canon';
import { resolveDirectory } from './resolve';
import { keptFleet } from './testing/kept-fleet';

const fleet = (): AccountObjects => keptFleet({ sites: 5, devices: 40, seed: 11 });

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

  it("re-lists every record as a full sync's pages bring it: a new object, equal, noted equal to the last", async () => {
    const objects = fleet();
    // Noted against the records the last resolve read (nothing to compare with before one).
    resolveDirectory(objects);
    let turns = 0;
    const relisted = (await relistedAsFull(objects, {
      nextTurn: async () => {
        turns++;
      },
    }))!;
    expect(turns).toBeGreaterThan(0);
    expect(relisted).toEqual(objects);
    for (const name of ACCOUNT_COLLECTIONS)
      relisted[name].forEach((fresh, i) => {
        const kept = objects[name][i]!;
        expect(fresh).not.toBe(kept);
        expect(notedEqual(kept as never, fresh as never)).toBe(true);
      });
    const stop = new AbortController();
    stop.abort();
    expect(await relistedAsFull(objects, { signal: stop.signal })).toBeNull();
  });

  it('runs its four passes in slices, giving the event loop a turn before each', async () => {
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
    expect(report).toMatchObject({ state: 'done', passes: 4 });
    // Slices of the resolves, and the turns of the re-listing besides.
    expect(turns).toBeGreaterThan(report.slices);
    expect(report.slices).toBeGreaterThan(6);
    // Without sessions there is no status sync to rehearse: the kept objects, re-listed, again.
    const lone = await warmUpResolver({ ...fleet(), tunnel_sessions: [] }, {});
    expect(lone).toMatchObject({ state: 'done', passes: 3 });
  });

  it('stops for good when its signal is aborted or another resolve begins, whatever the pass', async () => {
    let total = 0;
    await warmUpResolver(
      fleet(),
      {},
      {
        nextTurn: async () => {
          total++;
        },
      },
    );
    // Every turn: in each resolve's slices, between passes and in the re-listing. Later runs reuse more (fewer
    // slices), so a turn past a run's end lets it finish: 'stopped' exactly when the turn came.
    let stopped = 0;
    for (let at = 1; at <= total; at++) {
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
      expect(aborted.state).toBe(turns >= at ? 'stopped' : 'done');
      if (aborted.state === 'stopped') expect(turns).toBe(at);

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
      expect(cut.state).toBe(turns >= at ? 'stopped' : 'done');
      if (cut.state === 'stopped') {
        expect(turns).toBe(at);
        stopped++;
      }
    }
    expect(stopped).toBeGreaterThan(total / 2);
  });
});
