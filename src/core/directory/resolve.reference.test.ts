// Reference test for the resolver's speed work (issue 12, item 5): the faster resolver must give, byte for byte, what
// the resolver gave before it was restructured. The expected digests below were recorded with that implementation
// (commit "resolver reference digests") on generated fleets of several seeds and sizes, each resolved cold, again
// with itself as `previous`, and after half its agents went offline (remembered kinds, names, agent-bound services).
// A digest mismatch means the output changed: compare the JSON of the two implementations to find where.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { SandboxStore } from '../../sandbox/state/store';
import type { SandboxStateFile } from '../../sandbox/state/types';
import { ACCOUNT_COLLECTIONS } from '../ngrok/types';
import type { AccountObjects } from '../ngrok/types';
import { resolveDirectory } from './resolve';
import { RESOLVER_VERSION } from './resolved-stamp';
import { fidelityState } from './testing/fidelity-account';

function objectsOf(state: SandboxStateFile): AccountObjects {
  const store = new SandboxStore(state);
  return Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)])) as unknown as AccountObjects;
}

/** Every other listed session's agent goes offline: its session and its agent endpoints are no longer listed. */
function halfOffline(state: SandboxStateFile): SandboxStateFile {
  const sessions = (state.tunnel_sessions ?? []).map((s) => s.id);
  const offline = new Set(state.sandbox?.offline_tunnel_sessions ?? []);
  sessions.forEach((id, i) => {
    if (i % 2 === 0 && id !== undefined) offline.add(id);
  });
  return { ...state, sandbox: { ...state.sandbox, offline_tunnel_sessions: [...offline] } };
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);
}

/** Cold, with itself as previous, then half offline with the online result as previous; fresh objects each time. */
function digests(state: SandboxStateFile): string[] {
  const online = JSON.stringify(objectsOf(state));
  const offline = JSON.stringify(objectsOf(halfOffline(state)));
  const cold = resolveDirectory(JSON.parse(online) as AccountObjects);
  const again = resolveDirectory(JSON.parse(online) as AccountObjects, { previous: cold.sites });
  const down = resolveDirectory(JSON.parse(offline) as AccountObjects, { previous: again.sites });
  const back = resolveDirectory(JSON.parse(online) as AccountObjects, { previous: down.sites });
  return [digest(cold), digest(again), digest(down), digest(back)];
}

/**
 * The same steps as a status sync makes them: objects that did not change are the very objects of the last
 * listing (identity kept), so the resolver's reuse of per-pool work is exercised, and must give the same digests.
 */
function digestsKeepingObjects(state: SandboxStateFile): string[] {
  const online = JSON.parse(JSON.stringify(objectsOf(state))) as Record<string, Array<{ id?: string }>>;
  const listed = objectsOf(halfOffline(state)) as unknown as Record<string, Array<{ id?: string }>>;
  const kept: Record<string, unknown[]> = {};
  for (const [name, list] of Object.entries(listed)) {
    const before = new Map((online[name] ?? []).map((o) => [o.id, o]));
    kept[name] = list.map((o) => {
      const old = before.get(o.id);
      return old !== undefined && JSON.stringify(old) === JSON.stringify(o) ? old : o;
    });
  }
  const offline = kept as unknown as AccountObjects;
  const objects = online as unknown as AccountObjects;
  const cold = resolveDirectory(objects);
  const again = resolveDirectory(objects, { previous: cold.sites });
  const down = resolveDirectory(offline, { previous: again.sites });
  const back = resolveDirectory(objects, { previous: down.sites });
  return [digest(cold), digest(again), digest(down), digest(back)];
}

const SSH_UP = 'tcp://127.0.0.1:2222';
const RDP_UP = 'tcp://127.0.0.1:3390';

const FLEETS: Array<{ sites: number; devices: number; seed: number; edgeHost?: string }> = [
  { sites: 3, devices: 12, seed: 1 },
  { sites: 7, devices: 60, seed: 42 },
  { sites: 20, devices: 400, seed: 7, edgeHost: '1.tcp.ngrok.io' },
  { sites: 50, devices: 1000, seed: 2025, edgeHost: '1.tcp.ngrok.io' },
];

/**
 * The resolver version these digests are the output of. A kept stamp of this version lets a sync keep its last sites
 * without resolving (resolved-stamp.ts), so output that changes without a new RESOLVER_VERSION would stay wrong on
 * quiet accounts: change a digest only with RESOLVER_VERSION and this line, together.
 */
const DIGESTS_OF_RESOLVER_VERSION = 1;

const EXPECTED: Record<string, string[]> = {
  '1/3/12': [
    '47813d82a1df2a775f5eb83c',
    '47813d82a1df2a775f5eb83c',
    'd11ab5b9a358096cdaf336dc',
    '47813d82a1df2a775f5eb83c',
  ],
  '42/7/60': [
    '865264361e45324f0b863fa1',
    '865264361e45324f0b863fa1',
    'db672b164e5746e661827917',
    '865264361e45324f0b863fa1',
  ],
  '7/20/400': [
    'a7e968a3d3601048f178e7c6',
    'a7e968a3d3601048f178e7c6',
    '5689ecc008917e5010513c78',
    'a7e968a3d3601048f178e7c6',
  ],
  '2025/50/1000': [
    'eb76d2e10d087eb22a31294a',
    'eb76d2e10d087eb22a31294a',
    '034d9ef21bc6347c812c5db1',
    'eb76d2e10d087eb22a31294a',
  ],
  fidelity: [
    '209f059d5525c7e1740ad160',
    '209f059d5525c7e1740ad160',
    '9d43631cb2a96a027ee61fa3',
    '209f059d5525c7e1740ad160',
  ],
};

describe('resolver output equals the reference implementation', () => {
  it('of the resolver version the sync stamps (a changed output needs a new RESOLVER_VERSION)', () => {
    expect(RESOLVER_VERSION).toBe(DIGESTS_OF_RESOLVER_VERSION);
  });

  it.each(FLEETS)('generated fleet %o', (opts) => {
    const key = `${opts.seed}/${opts.sites}/${opts.devices}`;
    const got = digests(
      generateFleet({ ...opts, sshUpstream: 'tcp://127.0.0.1:2222', rdpUpstream: 'tcp://127.0.0.1:3390' }),
    );
    expect(got).toEqual(EXPECTED[key]);
    expect(
      digestsKeepingObjects(generateFleet({ ...opts, sshUpstream: SSH_UP, rdpUpstream: RDP_UP })),
    ).toEqual(EXPECTED[key]);
  });

  it('the fidelity account', () => {
    const state = fidelityState({ edge: 'fake' }) as SandboxStateFile;
    expect(digests(state)).toEqual(EXPECTED.fidelity);
    expect(digestsKeepingObjects(state)).toEqual(EXPECTED.fidelity);
  });
});
