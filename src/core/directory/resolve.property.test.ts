// Property tests: whatever the API (or something pretending to be it) returns, the resolver neither throws nor
// produces anything the Site schema rejects, ids stay unique and consistent, and the result does not depend on
// list order. Inputs mix plausible objects with hostile ones: wrong types, nulls, huge strings, "__proto__" keys,
// bad YAML, YAML alias bombs.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Site } from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import { resolveDirectory } from './resolve';
import {
  accountObjects,
  aliasPolicy,
  bomb,
  endpointUrl,
  metadata,
  policy,
  protoPolicy,
  yamlProto,
} from './testing/hostile-accounts';

const Sites = z.array(Site);

function checkInvariants(sites: Site[]): void {
  Sites.parse(sites);
  const ids = new Set<string>();
  for (const site of sites) {
    expect(ids.has(site.id)).toBe(false);
    ids.add(site.id);
    for (const device of site.devices) {
      expect(device.siteId).toBe(site.id);
      expect(ids.has(device.id)).toBe(false);
      ids.add(device.id);
      expect(device.online).toBe(device.services.some((s) => s.online));
      for (const service of device.services) {
        expect(service.deviceId).toBe(device.id);
        expect(ids.has(service.id)).toBe(false);
        ids.add(service.id);
      }
    }
  }
}

function expectPrototypesClean(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).site).toBeUndefined();
}

describe('resolveDirectory on arbitrary and hostile input', () => {
  it('never throws, always satisfies the Site schema, keeps ids unique and consistent', () => {
    fc.assert(
      fc.property(accountObjects, (objects) => {
        checkInvariants(resolveDirectory(objects).sites);
        expectPrototypesClean();
      }),
      { numRuns: 400 },
    );
  });

  it('does not depend on the order the API lists objects in', () => {
    const shuffled = fc
      .tuple(
        fc.array(
          fc.record(
            {
              type: fc.constant('cloud'),
              url: endpointUrl,
              traffic_policy: policy,
              metadata,
              id: fc.string(),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 8 },
        ),
        fc.infiniteStream(fc.nat()),
      )
      .map(([endpoints, stream]) => {
        const order = [...stream.take(endpoints.length)];
        const reordered = endpoints
          .map((e, i) => ({ e, k: order[i] ?? 0 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        return { endpoints, reordered };
      });
    fc.assert(
      fc.property(shuffled, ({ endpoints, reordered }) => {
        const a = resolveDirectory({
          endpoints,
          reserved_addrs: [],
          tunnel_sessions: [],
          credentials: [],
          bot_users: [],
          service_users: [],
        } as unknown as AccountObjects);
        const b = resolveDirectory({
          endpoints: reordered,
          reserved_addrs: [],
          tunnel_sessions: [],
          credentials: [],
          bot_users: [],
          service_users: [],
        } as unknown as AccountObjects);
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['null', null],
    ['a string', 'endpoints'],
    ['an array', []],
    [
      'collections of the wrong type',
      {
        endpoints: 'x',
        reserved_addrs: 5,
        tunnel_sessions: null,
        credentials: {},
        bot_users: [null],
        service_users: [[]],
      },
    ],
  ])('a whole account that is %s gives an empty directory', (_name, objects) => {
    expect(resolveDirectory(objects as unknown as AccountObjects)).toEqual({ sites: [] });
  });

  it('YAML alias bombs and prototype keys in policies are contained', () => {
    const endpoints = [bomb, aliasPolicy, protoPolicy, yamlProto].map((traffic_policy, i) => ({
      id: `ep_${i}`,
      type: 'cloud',
      url: `tcp://1.tcp.ngrok.io:${i + 1}`,
      traffic_policy,
    }));
    const { sites } = resolveDirectory({
      endpoints,
      reserved_addrs: [],
      tunnel_sessions: [],
      credentials: [],
      bot_users: [],
      service_users: [],
      ip_policies: [],
      ip_policy_rules: [],
    } as AccountObjects);
    checkInvariants(sites);
    expectPrototypesClean();
    const svcs = sites.flatMap((s) => s.devices.flatMap((d) => d.services));
    expect(svcs.find((s) => s.port === 1)?.problem).toMatch(/neither valid JSON nor valid YAML/);
    expect(svcs.filter((s) => s.port > 1).map((s) => [s.target, s.problem])).toEqual([
      ['tcp://pc.s.internal:22', null],
      ['tcp://pc.s.internal:22', null],
      ['tcp://pc.s.internal:22', null],
    ]);
  });
});

describe('resolveDirectory against its reference output (issue 12, item 5)', () => {
  // 300 arbitrary and hostile accounts drawn with a fixed seed, each resolved with the one before as previous and
  // as fresh objects: the digest was recorded with the resolver as it was before its speed work, so any change in
  // output on these inputs (including problem sentences on broken policies) shows here.
  it('gives the recorded output on a fixed sample of arbitrary accounts', () => {
    const samples = fc.sample(accountObjects, { seed: 1212, numRuns: 300 });
    const hash = createHash('sha256');
    let previous: ReturnType<typeof resolveDirectory>['sites'] = [];
    for (const objects of samples) {
      const fresh = structuredClone(objects);
      const first = resolveDirectory(objects, { previous });
      const again = resolveDirectory(fresh, { previous: first.sites });
      hash.update(JSON.stringify(first)).update(JSON.stringify(again));
      previous = again.sites;
    }
    expect(hash.digest('hex').slice(0, 24)).toBe('2ae368e402f53f47aa29a645');
  });
});

describe('resolveDirectory with its memos warm (issue 12, item 5)', () => {
  // The resolver memoizes by text and by object identity across calls. Whatever it resolved before, and whatever
  // was edited in between, the answer must be the one a fresh module instance (empty memos) gives.
  it('gives what a fresh instance gives after other accounts and edits', async () => {
    const fresh = async (): Promise<typeof resolveDirectory> => {
      vi.resetModules();
      return (await import('./resolve')).resolveDirectory;
    };
    await fc.assert(
      fc.asyncProperty(accountObjects, accountObjects, fc.nat(), async (a, b, cut) => {
        // b keeps some of a's objects (same identity) and replaces others: a re-sync where a few things changed.
        const mixed = { ...b } as Record<string, unknown[]>;
        for (const [k, list] of Object.entries(a as unknown as Record<string, unknown[]>)) {
          if (!Array.isArray(list)) continue;
          const kept = list.slice(0, cut % (list.length + 1));
          mixed[k] = [...kept, ...(Array.isArray(mixed[k]) ? mixed[k] : [])];
        }
        const before = resolveDirectory(a);
        const warm = resolveDirectory(mixed as unknown as AccountObjects, { previous: before.sites });
        const again = resolveDirectory(mixed as unknown as AccountObjects, { previous: before.sites });
        const cold = (await fresh())(structuredClone(mixed) as unknown as AccountObjects, {
          previous: structuredClone(before.sites),
        });
        expect(warm).toEqual(cold);
        expect(again).toEqual(cold);
      }),
      { numRuns: 60 },
    );
  });
});
