// A resolve done ahead in slices (resolve-ahead.ts) only warms the resolver: whatever it left behind, finished,
// stopped by the signal, or cut short by another resolve that began between two of its slices, the resolve that
// follows must give what a fresh module instance (empty memos, a new process) gives. The same for the app's idle
// warm-up after a start (idle-warmup.ts: the kept objects, a rehearsal with one agent gone, every record re-listed
// with its pages noted, the kept objects again), followed by a sync's ahead and its final.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { SandboxStore } from '../../sandbox/state/store';
import type { Site } from '../../shared/directory-types';
import type { AccountObjects, Endpoint } from '../ngrok/types';
import { ACCOUNT_COLLECTIONS } from '../ngrok/types';
import type { SandboxStateFile } from '../../sandbox/state/types';
import { mergeStatus } from './account-snapshot';
import type * as Resolve from './resolve';
import type * as ResolveAhead from './resolve-ahead';
import type * as IdleWarmUp from './idle-warmup';
import { fidelityState } from './testing/fidelity-account';

type Resolver = typeof Resolve;
type Ahead = typeof ResolveAhead;
type WarmUp = typeof IdleWarmUp;

/** A new module instance of the resolver, its ahead driver and the idle warm-up together: a new process. */
async function newProcess(): Promise<Resolver & Ahead & WarmUp> {
  vi.resetModules();
  const resolver = await import('./resolve');
  const ahead = await import('./resolve-ahead');
  const warmUp = await import('./idle-warmup');
  return { ...resolver, ...ahead, ...warmUp };
}

function listed(state: SandboxStateFile): string {
  const store = new SandboxStore(state);
  return JSON.stringify(Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)])));
}

/** Every other session's agent offline: kept objects whose offline services look up remembered entries. */
function halfOffline(state: SandboxStateFile): SandboxStateFile {
  const offline = (state.tunnel_sessions ?? []).map((s) => s.id).filter((_, i) => i % 2 === 0);
  return { ...state, sandbox: { ...state.sandbox, offline_tunnel_sessions: offline as string[] } };
}

const states: SandboxStateFile[] = [
  generateFleet({ sites: 3, devices: 14, seed: 3 }),
  generateFleet({ sites: 5, devices: 40, seed: 11, edgeHost: '1.tcp.ngrok.io' }),
  fidelityState({ edge: 'fake' }) as SandboxStateFile,
];
/** Each account online, and half offline (the sites of the last sync, online, then remember what agents said). */
const fleets = states.flatMap((state) => [
  { online: listed(state), kept: listed(state) },
  { online: listed(state), kept: listed(halfOffline(state)) },
]);

/** What a sync's answer may be, made from the kept objects as the sync code makes it. */
type Change = 'agent_offline' | 'new_endpoint' | 'relisted' | 'policy_changed' | 'none';

function answerOf(kept: AccountObjects, change: Change, pick: number): AccountObjects {
  const sessions = kept.tunnel_sessions;
  switch (change) {
    case 'agent_offline': {
      const gone = sessions[pick % Math.max(1, sessions.length)]?.id;
      return mergeStatus(
        kept,
        sessions.filter((s) => s.id !== gone).map((s) => ({ ...s })),
        [],
      );
    }
    case 'new_endpoint': {
      const agent = kept.endpoints.find((e) => e.type === 'agent');
      const added = {
        ...agent,
        id: `ep_new_${pick}`,
        url: `tcp://extra-${pick}.site.internal:22`,
      } as Endpoint;
      return mergeStatus(kept, sessions, [added]);
    }
    case 'relisted':
      return JSON.parse(JSON.stringify(kept)) as AccountObjects;
    case 'policy_changed': {
      const at = kept.endpoints.findIndex((e) => e.type === 'cloud' && typeof e.traffic_policy === 'string');
      const endpoints = [...kept.endpoints];
      const cloud = endpoints[at] as Endpoint;
      endpoints[at] = { ...cloud, traffic_policy: `${cloud.traffic_policy as string}\n` };
      return { ...kept, endpoints };
    }
    case 'none':
      return kept;
  }
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('resolveAhead (issue 12, item 5)', () => {
  it('finishes with the directory resolveDirectory gives, yielding between slices', async () => {
    const p = await newProcess();
    const objects = JSON.parse(fleets[2]!.kept) as AccountObjects;
    let turns = 0;
    const report = await p.resolveAhead(
      objects,
      {},
      {
        nextTurn: async () => {
          turns++;
        },
      },
    );
    expect(report.state).toBe('done');
    expect(report.slices).toBe(turns);
    expect(report.slices).toBeGreaterThan(2);
    const sliced = p.resolveInSlices(clone(objects), {}, 1);
    let step = sliced();
    while (step.state === 'more') step = sliced();
    const truth = (await newProcess()).resolveDirectory(clone(objects));
    expect(step.state).toBe('done');
    expect(step.state === 'done' ? step.directory : null).toEqual(truth);
    expect(truth.sites.length).toBeGreaterThan(0);
  });

  it('stops at the next slice once its signal is aborted, and when another resolve begins', async () => {
    const p = await newProcess();
    const objects = JSON.parse(fleets[2]!.kept) as AccountObjects;
    const stop = new AbortController();
    let turns = 0;
    const report = await p.resolveAhead(
      objects,
      {},
      {
        signal: stop.signal,
        nextTurn: async () => {
          if (++turns === 2) stop.abort();
        },
      },
    );
    expect(report).toMatchObject({ state: 'stopped', slices: 1 });
    const sliced = p.resolveInSlices(objects, {}, 1);
    expect(sliced().state).toBe('more');
    p.resolveDirectory(objects);
    expect(sliced().state).toBe('stopped');
    expect(sliced().state).toBe('stopped');
  });

  it('leaves the resolve that follows equal to a new process, however it ended', async () => {
    const changes: Change[] = ['agent_offline', 'new_endpoint', 'relisted', 'policy_changed', 'none'];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          fleet: fc.nat(fleets.length - 1),
          warmBefore: fc.boolean(),
          change: fc.constantFrom(...changes),
          pick: fc.nat(50),
          groupsPerSlice: fc.constantFrom(1, 2, 5, 1000),
          // The slice after which another resolve runs (none when past the end), and what it resolves.
          cutAt: fc.nat(40),
          between: fc.constantFrom(
            'other_account' as const,
            'the_answer' as const,
            'kept_no_previous' as const,
          ),
          finishAfterCut: fc.boolean(),
        }),
        async (c) => {
          const { online, kept: raw } = fleets[c.fleet]!;
          const other = fleets[(c.fleet + 2) % fleets.length]!.kept;
          // The last sync's sites as the cache holds them (read back from JSON), resolved in an earlier process.
          const previous = clone((await newProcess()).resolveDirectory(JSON.parse(online)).sites) as Site[];
          const p = await newProcess();
          if (c.warmBefore) p.resolveDirectory(JSON.parse(other) as AccountObjects);
          const kept = JSON.parse(raw) as AccountObjects;
          const answer = answerOf(kept, c.change, c.pick);
          const sliced = p.resolveInSlices(kept, { previous }, c.groupsPerSlice);
          let slices = 0;
          let step = sliced();
          while (step.state === 'more') {
            if (++slices === c.cutAt) {
              if (c.between === 'other_account') p.resolveDirectory(JSON.parse(other) as AccountObjects);
              else if (c.between === 'the_answer') p.resolveDirectory(answer, { previous });
              else p.resolveDirectory(kept);
              if (!c.finishAfterCut) break;
            }
            step = sliced();
          }
          const got = p.resolveDirectory(answer, { previous });
          const truth = (await newProcess()).resolveDirectory(clone(answer), { previous: clone(previous) });
          expect(got).toEqual(truth);
          // And the next round after it (an agent back, the account relisted) still agrees.
          const next = clone(kept);
          const gotNext = p.resolveDirectory(next, { previous: got.sites });
          const truthNext = (await newProcess()).resolveDirectory(clone(kept), {
            previous: clone(got.sites),
          });
          expect(gotNext).toEqual(truthNext);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('leaves the sync after an idle warm-up equal to a new process, however the warm-up ended', async () => {
    const changes: Change[] = ['agent_offline', 'new_endpoint', 'relisted', 'policy_changed', 'none'];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          fleet: fc.nat(fleets.length - 1),
          warmBefore: fc.boolean(),
          change: fc.constantFrom(...changes),
          pick: fc.nat(50),
          // The turn of the warm-up at which something happens (none when past its end), and what.
          cutAt: fc.nat(60),
          between: fc.constantFrom(
            'abort' as const,
            'other_account' as const,
            'the_answer' as const,
            'kept_no_previous' as const,
          ),
          aheadDone: fc.boolean(),
        }),
        async (c) => {
          const { online, kept: raw } = fleets[c.fleet]!;
          const other = fleets[(c.fleet + 2) % fleets.length]!.kept;
          const previous = clone((await newProcess()).resolveDirectory(JSON.parse(online)).sites) as Site[];
          const p = await newProcess();
          if (c.warmBefore) p.resolveDirectory(JSON.parse(other) as AccountObjects);
          const kept = JSON.parse(raw) as AccountObjects;
          const answer = answerOf(kept, c.change, c.pick);
          const stop = new AbortController();
          let turns = 0;
          const report = await p.warmUpResolver(
            kept,
            { previous },
            {
              signal: stop.signal,
              nextTurn: async () => {
                if (++turns !== c.cutAt) return;
                if (c.between === 'abort') stop.abort();
                else if (c.between === 'other_account')
                  p.resolveDirectory(JSON.parse(other) as AccountObjects);
                else if (c.between === 'the_answer') p.resolveDirectory(answer, { previous });
                else p.resolveDirectory(kept);
              },
            },
          );
          expect(report.state).toBe(c.cutAt >= 1 && c.cutAt <= turns ? 'stopped' : 'done');
          // The sync: its ahead over the kept objects (to its end, or cut by the answer), then the final.
          const ahead = p.resolveInSlices(kept, { previous }, 64);
          let step = ahead();
          while (step.state === 'more' && c.aheadDone) step = ahead();
          const got = p.resolveDirectory(answer, { previous });
          const truth = (await newProcess()).resolveDirectory(clone(answer), { previous: clone(previous) });
          expect(got).toEqual(truth);
          const gotNext = p.resolveDirectory(clone(kept), { previous: got.sites });
          const truthNext = (await newProcess()).resolveDirectory(clone(kept), {
            previous: clone(got.sites),
          });
          expect(gotNext).toEqual(truthNext);
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);
});
