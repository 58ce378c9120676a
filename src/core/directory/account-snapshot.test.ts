// The pure parts of status syncs and connect checks: what is kept, dropped and replaced, and the filters sent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../ngrok/types';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../ngrok/types';
import {
  createdSinceFilter,
  isAccountObjects,
  keptList,
  mergeProbe,
  mergeStatus,
  mergeStatusAnswer,
  newestCreatedAt,
  prepareMerge,
  probeFor,
} from './account-snapshot';
import { resolveDirectory } from './resolve';
import { fidelityState } from './testing/fidelity-account';
import { account } from './testing/fixtures';
import { accountObjects } from './testing/hostile-accounts';

const empty: AccountObjects = account();
const agent = (id: string, url: string, ts: string, created = '2026-01-01T00:00:00Z'): Endpoint => ({
  id,
  type: 'agent',
  url,
  created_at: created,
  tunnel_session: { id: ts, uri: '' },
});
const cloud = (id: string, url: string, created = '2026-01-01T00:00:00Z'): Endpoint => ({
  id,
  type: 'cloud',
  url,
  created_at: created,
});

describe('status merge', () => {
  const previous: AccountObjects = {
    ...empty,
    tunnel_sessions: [{ id: 'ts_a' }, { id: 'ts_b' }],
    endpoints: [
      agent('ep_a1', 'tcp://a.site-a.internal:22', 'ts_a'),
      agent('ep_b1', 'tcp://b.site-b.internal:22', 'ts_b'),
      cloud('ep_c1', 'tcp://1.tcp.ngrok.io:20001'),
      { id: 'ep_x', type: 'agent', url: 'tcp://loose.internal:22' },
    ],
    reserved_addrs: [{ id: 'ra_1', addr: '1.tcp.ngrok.io:20001' }],
  };

  it('drops the agent endpoints of a session that went away, keeps the rest, and puts new endpoints first', () => {
    const created = [cloud('ep_c2', 'tcp://1.tcp.ngrok.io:20002', '2026-01-02T00:00:00Z')];
    const merged = mergeStatus(previous, [{ id: 'ts_a' }], created);
    expect(merged.endpoints.map((e) => e.id)).toEqual(['ep_c2', 'ep_a1', 'ep_c1', 'ep_x']);
    expect(merged.tunnel_sessions).toEqual([{ id: 'ts_a' }]);
    expect(merged.reserved_addrs).toBe(previous.reserved_addrs);
  });

  it('replaces a re-listed endpoint by id instead of doubling it', () => {
    const again = { ...previous.endpoints[0]!, metadata: 'changed' };
    const merged = mergeStatus(previous, [{ id: 'ts_a' }, { id: 'ts_b' }], [again]);
    expect(merged.endpoints.filter((e) => e.id === 'ep_a1')).toEqual([again]);
    expect(merged.endpoints).toHaveLength(4);
  });

  it('asks for endpoints created at or after the newest one seen, as a timestamp', () => {
    expect(createdSinceFilter(null)).toBeUndefined();
    expect(createdSinceFilter('2026-01-02T03:04:05Z')).toBe(
      'obj.created_at >= timestamp("2026-01-02T03:04:05.000Z")',
    );
    expect(createdSinceFilter('yesterday')).toBeUndefined();
    const eps = [cloud('a', 'x', '2026-01-01T00:00:00Z'), cloud('b', 'y', '2026-01-01T00:00:00.500+00:00')];
    expect(newestCreatedAt(eps)).toBe('2026-01-01T00:00:00.500+00:00');
    // Never moves back.
    expect(newestCreatedAt(eps, '2027-01-01T00:00:00Z')).toBe('2027-01-01T00:00:00Z');
    expect(newestCreatedAt([])).toBeNull();
  });
});

describe('status merge from facts read ahead', () => {
  /** The merge and watermark as they were computed before (a filter and a walk over every endpoint). */
  const reference = (
    kept: Endpoint[],
    watermark: string | null,
    sessions: Array<{ id: string }>,
    created: Endpoint[],
  ): { endpoints: Endpoint[]; watermark: string | null } => {
    const live = new Set(sessions.map((s) => s.id));
    const fresh = new Set(created.map((e) => e.id));
    const endpoints = [
      ...created,
      ...kept.filter((ep) => {
        if (fresh.has(ep.id)) return false;
        const ts = ep.tunnel_session?.id;
        return !(
          ['agent', 'ephemeral'].includes(ep.type ?? '') &&
          ts !== undefined &&
          ts !== '' &&
          !live.has(ts)
        );
      }),
    ];
    return { endpoints, watermark: newestCreatedAt(endpoints, watermark) };
  };
  const times = fc.constantFrom(
    '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:01Z',
    '2026-01-02T00:00:00+01:00',
    'yesterday',
    undefined,
  );
  const endpoint = fc.record(
    {
      id: fc.oneof(
        fc.constantFrom('e1', 'e2', 'e3'),
        fc.nat(150).map((n) => `e${n}`),
      ),
      type: fc.constantFrom('agent', 'ephemeral', 'cloud', undefined),
      created_at: times,
      tunnel_session: fc.option(fc.record({ id: fc.constantFrom('t1', 't2', 't3', '') }), { nil: undefined }),
    },
    { requiredKeys: ['id'] },
  ) as fc.Arbitrary<Endpoint>;

  it('gives what filtering every endpoint gave: the same list in order and the same watermark', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(endpoint, { maxLength: 30 }),
          fc.uniqueArray(endpoint, { selector: (e) => e.id, maxLength: 120 }),
        ),
        fc.array(endpoint, { maxLength: 4 }),
        fc.subarray(['t1', 't2', 't3', '']),
        fc.constantFrom(null, '2025-12-31T00:00:00Z', '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z', 'bad'),
        fc.boolean(),
        (kept, created, live, watermark, ahead) => {
          const objects = { ...empty, endpoints: kept };
          if (ahead) prepareMerge(objects);
          const sessions = live.map((id) => ({ id }));
          const merged = mergeStatusAnswer({ objects, watermark }, sessions, created);
          const expected = reference(kept, watermark, sessions, created);
          expect(merged.objects.endpoints).toEqual(expected.endpoints);
          merged.objects.endpoints.forEach((e, i) => expect(e).toBe(expected.endpoints[i]));
          expect(merged.watermark).toBe(expected.watermark);
          expect(merged.objects.tunnel_sessions).toBe(sessions);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds the watermark among the rest when the newest endpoints read ahead all went with their agent', () => {
    const second = (n: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
    const kept = [
      ...Array.from({ length: 70 }, (_, i) =>
        agent(`ep_a${i}`, `tcp://a${i}.internal:22`, 'ts_gone', second(30 + i)),
      ),
      cloud('ep_c1', 'tcp://1.tcp.ngrok.io:20001', second(5)),
      cloud('ep_c2', 'tcp://1.tcp.ngrok.io:20002', second(7)),
    ];
    const objects = { ...empty, endpoints: kept };
    prepareMerge(objects);
    const merged = mergeStatusAnswer({ objects, watermark: null }, [], []);
    expect(merged.objects.endpoints.map((e) => e.id)).toEqual(['ep_c1', 'ep_c2']);
    expect(merged.watermark).toBe(second(7));
    // One of them still there: it is the newest.
    const one = mergeStatusAnswer({ objects, watermark: null }, [{ id: 'ts_gone' }], []);
    expect(one.watermark).toBe(second(99));
  });
});

describe('connect check probe', () => {
  const objects: AccountObjects = {
    ...empty,
    endpoints: [
      cloud('ep_c1', 'tcp://1.TCP.ngrok.io:20001'),
      cloud('ep_pool', 'tcp://1.tcp.ngrok.io:20001'),
      cloud('ep_other', 'tcp://1.tcp.ngrok.io:20002'),
      agent('ep_a1', 'tcp://frontdesk.clinic.internal:3389', 'ts_a'),
      agent('ep_tls', 'tls://db.clinic.internal', 'ts_a'),
    ],
  };

  it('asks about the cloud endpoints on the address (by id) and every target (by URL, default ports both ways)', () => {
    const probe = probeFor(objects, {
      host: '1.tcp.ngrok.io',
      port: 20001,
      target: 'tcp://frontdesk.clinic.internal:3389',
      targets: ['tcp://frontdesk.clinic.internal:3389', 'tls://db.clinic.internal:443'],
    })!;
    expect(probe.cloudIds).toEqual(['ep_c1', 'ep_pool']);
    expect(probe.filter).toBe(
      'obj.id in ["ep_c1", "ep_pool"] || obj.url in ["tcp://frontdesk.clinic.internal:3389", "tls://db.clinic.internal:443", "tls://db.clinic.internal"]',
    );
  });

  it('replaces what it asked about with the answer: a missing cloud endpoint or agent endpoint is gone', () => {
    const probe = probeFor(objects, {
      host: '1.tcp.ngrok.io',
      port: 20001,
      target: 'tcp://frontdesk.clinic.internal:3389',
      targets: [],
    })!;
    const merged = mergeProbe(objects, probe, [cloud('ep_pool', 'tcp://1.tcp.ngrok.io:20001')]);
    expect(merged.endpoints.map((e) => e.id)).toEqual(['ep_pool', 'ep_other', 'ep_tls']);
  });

  it('accepts only well-formed kept objects', () => {
    expect(isAccountObjects(empty)).toBe(true);
    expect(isAccountObjects({ ...empty, endpoints: [1] })).toBe(false);
    expect(isAccountObjects({ ...empty, ip_policies: undefined })).toBe(false);
    expect(isAccountObjects(null)).toBe(false);
  });
});

describe('skipping the resolver on an unchanged status sync is sound', () => {
  // The skip returns the last sites for the same objects: that is right only if resolving the same objects with
  // the sites they gave as `previous` gives those sites again (a fixed point), also while agents are offline.
  const objectsOf = (offline: Set<string>): AccountObjects => {
    const st = fidelityState({ edge: 'fake' }) as Record<string, unknown[]>;
    const gone = new Set([
      ...offline,
      ...((st.sandbox as { offline_tunnel_sessions?: string[] } | undefined)?.offline_tunnel_sessions ?? []),
    ]);
    const list = <T>(k: string): T[] => (st[k] ?? []) as T[];
    return {
      ...empty,
      endpoints: list<Endpoint>('endpoints').filter(
        (e) => !(e.type === 'agent' && gone.has(e.tunnel_session?.id ?? '')),
      ),
      tunnel_sessions: list<{ id?: string }>('tunnel_sessions').filter((t) => !gone.has(t.id ?? '')),
      reserved_addrs: list('reserved_addrs'),
      credentials: list('credentials'),
      bot_users: list('bot_users'),
      service_users: list('service_users'),
      ip_policies: list('ip_policies'),
      ip_policy_rules: list('ip_policy_rules'),
    };
  };

  it('resolving the same objects with their own sites as previous gives the same sites, online and offline', () => {
    const online = objectsOf(new Set());
    const s1 = resolveDirectory(online).sites;
    expect(resolveDirectory(online, { previous: s1 }).sites).toEqual(s1);
    const away = objectsOf(new Set(['ts_clinic']));
    const s2 = resolveDirectory(away, { previous: s1 }).sites;
    expect(s2).not.toEqual(s1);
    expect(resolveDirectory(away, { previous: s2 }).sites).toEqual(s2);
  });
});

/** A whole listing as the sync source keeps it, page by page (a collection that is not a list stays as it is). */
function keptObjects(objects: AccountObjects): AccountObjects {
  const o = objects as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of ACCOUNT_COLLECTIONS) {
    if (!Object.hasOwn(o, name)) continue;
    const list = o[name];
    out[name] = Array.isArray(list) ? keptList(name, list) : list;
  }
  return out as unknown as AccountObjects;
}

describe('what is kept of a listing', () => {
  it('keeps the fields the resolver reads and an endpoint created_at, in one order, and nothing else', () => {
    const ep = {
      uri: 'https://api.ngrok.com/endpoints/ep_1',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
      url: 'tcp://1.tcp.ngrok.io:20001',
      region: 'eu',
      id: 'ep_1',
      type: 'cloud',
    };
    const [kept] = keptList('endpoints', [ep]);
    expect(kept).toEqual({
      id: 'ep_1',
      type: 'cloud',
      url: 'tcp://1.tcp.ngrok.io:20001',
      created_at: '2026-01-01T00:00:00Z',
    });
    // The same record in another key order keeps the same text: a kept copy compares equal to a new answer.
    const reordered = Object.fromEntries(Object.entries(ep).reverse());
    expect(JSON.stringify(keptList('endpoints', [reordered]))).toBe(JSON.stringify([kept]));
    const [session] = keptList('tunnel_sessions', [
      { id: 'ts_1', ip: '203.0.113.9', os: 'linux', metadata: 'clinic1', started_at: '2026-01-01T00:00:00Z' },
    ]);
    expect(session).toEqual({ id: 'ts_1', metadata: 'clinic1' });
  });

  it('reads own fields only and passes anything that is not a record through', () => {
    const inherited = Object.create({ id: 'ep_proto', type: 'cloud' }) as Record<string, unknown>;
    inherited.url = 'tcp://x.internal:22';
    const odd = [null, 7, 'text', ['id', 'ep_array']];
    const kept = keptList('endpoints', [inherited, ...odd]);
    expect(kept[0]).toEqual({ url: 'tcp://x.internal:22' });
    expect(kept.slice(1)).toEqual(odd);
  });

  it('resolves to the same directory as the whole listing, whatever the account', () => {
    fc.assert(
      fc.property(accountObjects, (objects) => {
        expect(JSON.stringify(resolveDirectory(keptObjects(objects)).sites)).toBe(
          JSON.stringify(resolveDirectory(objects).sites),
        );
      }),
      { numRuns: 300 },
    );
    const st = fidelityState({ edge: 'fake' }) as unknown as AccountObjects;
    const sites = resolveDirectory(st).sites;
    expect(sites.length).toBeGreaterThan(0);
    expect(resolveDirectory(keptObjects(st)).sites).toEqual(sites);
  });
});
