// Property (issue 12, item 5): a new process (new module instances: empty memos, no stamps in memory), given what the
// last one kept on disk (the cached sites and the kept account file with its stamp, through the real cache) and any
// answer (equal to the kept objects, equal as new objects, or changed), gives exactly what a fresh resolve of that
// answer with the cached sites as previous gives, whether it skipped the resolve or not.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../ngrok/types';
import type * as SnapshotModule from './account-snapshot';
import type * as CacheModule from './cache';
import type * as ResolveModule from './resolve';
import type * as SourceModule from './sync-source';
import { fidelityState } from './testing/fidelity-account';
import { accountObjects } from './testing/hostile-accounts';

interface Instance {
  cache: typeof CacheModule;
  source: typeof SourceModule;
  resolve: typeof ResolveModule;
  snapshot: typeof SnapshotModule;
}

async function newProcess(): Promise<Instance> {
  vi.resetModules();
  return {
    cache: await import('./cache'),
    source: await import('./sync-source'),
    resolve: await import('./resolve'),
    snapshot: await import('./account-snapshot'),
  };
}

/** As an API listing arrives: plain JSON (the kept file holds nothing else). */
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? null)) as T;

type Change = 'same objects' | 'new equal objects' | 'status, sessions listed again' | 'mixed';

describe('a new process given the kept sites, objects and stamp (issue 12, item 5)', () => {
  it('answers any account exactly as a fresh resolve does, skipping only when that is the same', async () => {
    const state = fidelityState({ edge: 'fake' }) as unknown as Record<string, unknown>;
    const realistic = Object.fromEntries(
      ACCOUNT_COLLECTIONS.map((c) => [c, Array.isArray(state[c]) ? state[c] : []]),
    ) as unknown as AccountObjects;
    let skipped = 0;
    /** Skips among the realistic examples below, which must skip on every run whatever the seed. */
    let examplesSkipped = 0;
    await fc.assert(
      fc.asyncProperty(
        accountObjects,
        accountObjects,
        fc.boolean(),
        fc.constantFrom<Change>(
          'same objects',
          'new equal objects',
          'status, sessions listed again',
          'mixed',
        ),
        fc.constantFrom('full', 'status', 'check') as fc.Arbitrary<'full' | 'status' | 'check'>,
        fc.nat(),
        async (k, other, withPrevious, change, kind, cut) => {
          const objects = json(k);
          const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-stamp-prop-'));
          try {
            // The last process: resolved (with some earlier sites as previous, or none) and kept both files.
            const last = await newProcess();
            const earlier = withPrevious ? last.resolve.resolveDirectory(json(other)).sites : undefined;
            const resolved = last.source.resolveAndStamp(objects, earlier);
            const cache1 = last.cache.createDirectoryCache({ home });
            cache1.save({
              workspaceId: 'ws_p',
              syncedAt: '2026-11-30T09:00:00.000Z',
              sites: resolved,
              counts: {},
            });
            cache1.saveAccount?.('ws_p', {
              fullSyncedAt: '2026-11-30T09:00:00.000Z',
              watermark: null,
              objects,
            });

            // A new process reads them back and gets an answer.
            const next = await newProcess();
            const cache2 = next.cache.createDirectoryCache({ home });
            const sites = cache2.load('ws_p')?.sites;
            const kept = cache2.loadAccount?.('ws_p') ?? null;
            if (sites === undefined) throw new Error('the cached sites did not load');
            const base: AccountObjects = kept?.objects ?? objects;
            let answer: AccountObjects;
            if (change === 'same objects') answer = base;
            else if (change === 'new equal objects') answer = json(base);
            else if (change === 'status, sessions listed again')
              // Only a kept account (checked by the cache) is ever merged into.
              answer = kept !== null ? next.snapshot.mergeStatus(base, json(base.tunnel_sessions), []) : base;
            else {
              // Some of the kept records, then some of another account's.
              const mixed = { ...json(other) } as unknown as Record<string, unknown[]>;
              for (const [name, list] of Object.entries(base as unknown as Record<string, unknown[]>)) {
                if (!Array.isArray(list)) continue;
                const some = list.slice(0, cut % (list.length + 1));
                mixed[name] = [...some, ...(Array.isArray(mixed[name]) ? mixed[name] : [])];
              }
              answer = mixed as unknown as AccountObjects;
            }
            const skip = next.source.skipsResolve(kind, kept, answer, sites);
            if (skip) skipped++;
            if (skip && k === realistic) examplesSkipped++;
            const got = next.source.sitesOfAnswer(answer, sites, skip);

            const fresh = await newProcess();
            const expected = fresh.resolve.resolveDirectory(structuredClone(answer), {
              previous: structuredClone(sites),
            }).sites;
            expect(got).toEqual(expected);
          } finally {
            rmSync(home, { recursive: true, force: true });
          }
        },
      ),
      {
        numRuns: 80,
        // A realistic account answered unchanged, by a full and a status sync: runs every time, so the skip path is
        // always among the cases (random hostile accounts alone skipped in none of 80 runs about once in five).
        examples: [
          [realistic, realistic, false, 'new equal objects', 'full', 0],
          [realistic, realistic, true, 'status, sessions listed again', 'status', 0],
        ],
      },
    );
    // The property would hold vacuously if nothing were ever skipped. Both examples skip on every run (they fail here,
    // whatever the seed, if the skip path is ever lost); random hostile accounts may add more, or none.
    expect(examplesSkipped).toBe(2);
    expect(skipped).toBeGreaterThan(0);
  });
});
