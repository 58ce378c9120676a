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

const HUGE = 'x'.repeat(300_000);
const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'on_tcp_connect: [{actions: [{type: forward-internal, config: {url: *f}}]}]',
].join('\n');
const aliasPolicy =
  'x: &u tcp://pc.s.internal:22\non_tcp_connect:\n  - actions:\n      - type: forward-internal\n        config: {url: *u}\n';
const protoPolicy =
  '{"__proto__": {"polluted": 1}, "on_tcp_connect": [{"actions": [{"type": "forward-internal", "config": {"url": "tcp://pc.s.internal:22", "__proto__": {"polluted": 2}}}]}]}';
const yamlProto =
  '__proto__:\n  polluted: 3\non_tcp_connect:\n  - actions:\n      - type: forward-internal\n        config:\n          url: tcp://pc.s.internal:22\n';

const nastyString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    HUGE,
    '\u0000\u202e',
    '{',
    '{"site":',
    'null',
    '[]',
    '{}',
  ),
);
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 3 }) },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 0, -1, Number.NaN, true, [], {}) },
);

const internalHost = fc
  .tuple(
    fc.constantFrom('pc', 'frontdesk', 'nas', '__proto__', 'constructor', 'a.b'),
    fc.constantFrom('clinic1', 'Clinic 1', 'internal', ''),
  )
  .map(([d, s]) => (s === '' ? `${d}.internal` : `${d}.${s}.internal`));
const target = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('tcp', 'tls', 'https'),
      internalHost,
      fc.constantFrom(22, 3389, 443, 5900, 0, 70000),
    )
    .map(([sch, h, p]) => `${sch}://${h}:${p}`),
  nastyString,
);
const action = fc.oneof(
  target.map((url) => ({ type: 'forward-internal', config: { url } })),
  fc.record({
    type: fc.constant('restrict-ips'),
    config: fc.record({
      enforce: fc.oneof(fc.boolean(), hostile),
      allow: fc.oneof(fc.array(nastyString, { maxLength: 3 }), hostile),
      deny: hostile,
    }),
  }),
  fc.constantFrom({ type: 'deny' }, { type: 'close-connection' }, { type: 'log' }, { type: 7 }, null),
  fc.record({ type: nastyString, config: hostile }),
);
const rule = fc.record(
  {
    name: fc.oneof(nastyString, hostile),
    expressions: fc.oneof(fc.array(nastyString, { maxLength: 2 }), hostile),
    actions: fc.oneof(fc.array(action, { maxLength: 4 }), hostile),
  },
  { requiredKeys: [] },
);
const policyDoc = fc.record(
  {
    on_tcp_connect: fc.oneof(fc.array(rule, { maxLength: 3 }), hostile),
    on_http_request: fc.oneof(fc.array(rule, { maxLength: 2 }), hostile),
  },
  { requiredKeys: [] },
);
const policy = fc.oneof(
  { weight: 4, arbitrary: policyDoc.map((d) => JSON.stringify(d) ?? '') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      bomb,
      aliasPolicy,
      protoPolicy,
      yamlProto,
      'on_tcp_connect: [',
      ': : :',
      '- a\n- b',
      '!!binary aGVsbG8=',
      '&a [*a]',
      `on_tcp_connect: "${HUGE}"`,
    ),
  },
  { weight: 1, arbitrary: hostile },
);
const metaKey = fc.constantFrom(
  'site',
  'siteName',
  'device',
  'deviceName',
  'protocol',
  'username',
  '__proto__',
  'constructor',
);
const metadata = fc.oneof(
  fc.dictionary(metaKey, fc.oneof(nastyString, hostile), { maxKeys: 4 }).map((d) => JSON.stringify(d) ?? ''),
  fc.constantFrom('{"__proto__": {"site": "evil"}}', '{"site": "a", "site": "b"}', '{bad json', 'Plain Site'),
  hostile,
);
const ref = fc.oneof(
  fc.record({
    id: fc.oneof(fc.constantFrom('ra_1', 'ts_1', 'cr_1', 'bot_1', 'service_1', '__proto__'), nastyString),
    uri: fc.string(),
  }),
  hostile,
);
const endpointUrl = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('tcp', 'tls', 'https', 'http', 'TCP'),
      fc.constantFrom('1.tcp.ngrok.io', '[::1]', '127.0.0.1', 'x'),
      fc.constantFrom(':21234', ':1', '', ':0', ':99999'),
    )
    .map(([s, h, p]) => `${s}://${h}${p}`),
  target,
  nastyString,
);
const goodTarget = fc.constantFrom(
  'tcp://pc.clinic1.internal:22',
  'tcp://pc.clinic1.internal:3389',
  'tcp://PC.Clinic1.internal:22',
  'tcp://nas.internal:443',
  'tcp://__proto__.internal:22',
  'tcp://constructor.prototype.internal:5900',
  'tcp://a.b.clinic1.internal:22',
);
const goodPolicy = fc
  .tuple(
    goodTarget,
    fc.array(fc.constantFrom('203.0.113.0/24', '10.0.0.0/8', '::/0'), { maxLength: 2 }),
    fc.boolean(),
  )
  .map(([url, allow, twoRules]) => {
    const restrict = {
      type: 'restrict-ips',
      config: allow.length === 1 ? { allow, ip_policies: ['ipp_1', '__proto__'] } : { allow },
    };
    const forward = { type: 'forward-internal', config: { url } };
    return JSON.stringify({
      on_tcp_connect: twoRules
        ? [{ actions: [restrict] }, { actions: [forward] }]
        : [{ actions: [restrict, forward] }],
    });
  });
/** Well-formed cloud and agent endpoints over small pools, so names, ids and online states collide often. */
const plausibleCloud = fc.record({
  id: fc.string({ maxLength: 6 }),
  type: fc.constant('cloud'),
  url: fc.constantFrom(21234, 21235, 21236, 1).map((p) => `tcp://1.tcp.ngrok.io:${p}`),
  traffic_policy: fc.oneof({ weight: 5, arbitrary: goodPolicy }, { weight: 1, arbitrary: policy }),
  metadata: fc.oneof(fc.constant(undefined), metadata),
  tcp_addr: fc.oneof(fc.constant(undefined), ref),
});
const plausibleAgent = fc.record({
  id: fc.string({ maxLength: 6 }),
  type: fc.constantFrom('agent', 'ephemeral'),
  url: goodTarget,
  tunnel_session: ref,
  principal: ref,
});
const endpoint = fc.oneof(
  { weight: 4, arbitrary: plausibleCloud },
  { weight: 2, arbitrary: plausibleAgent },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        id: fc.oneof(fc.string(), hostile),
        type: fc.oneof(fc.constantFrom('cloud', 'agent', 'ephemeral', 'edge'), hostile),
        url: endpointUrl,
        traffic_policy: policy,
        metadata,
        tcp_addr: ref,
        tunnel_session: ref,
        principal: ref,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: hostile },
);
const reservedAddr = fc.record(
  { id: fc.oneof(fc.constantFrom('ra_1', '__proto__'), hostile), metadata, addr: nastyString },
  { requiredKeys: [] },
);
const session = fc.record(
  { id: fc.oneof(fc.constantFrom('ts_1', '__proto__'), hostile), metadata, credential: ref },
  { requiredKeys: [] },
);
const credential = fc.record(
  {
    id: fc.oneof(fc.constantFrom('cr_1', '__proto__'), hostile),
    owner_id: fc.oneof(fc.constantFrom('bot_1', 'service_1', '__proto__'), hostile),
  },
  { requiredKeys: [] },
);
const user = fc.record(
  {
    id: fc.oneof(fc.constantFrom('bot_1', 'service_1', '__proto__'), hostile),
    name: fc.oneof(nastyString, hostile),
  },
  { requiredKeys: [] },
);
const ipPolicy = fc.record(
  {
    id: fc.oneof(fc.constantFrom('ipp_1', '__proto__'), hostile),
    description: fc.oneof(nastyString, hostile),
  },
  { requiredKeys: [] },
);
const ipPolicyRule = fc.record(
  {
    id: fc.oneof(fc.string(), hostile),
    ip_policy: ref,
    cidr: fc.oneof(fc.constantFrom('203.0.113.0/24', '::/0', '10.0.0.0/8', 'junk'), hostile),
    action: fc.oneof(fc.constantFrom('allow', 'deny'), hostile),
  },
  { requiredKeys: [] },
);
const list = <T>(arb: fc.Arbitrary<T>, maxLength: number) =>
  fc.oneof({ weight: 6, arbitrary: fc.array(arb, { maxLength }) }, { weight: 1, arbitrary: hostile });

const accountObjects = fc.record(
  {
    endpoints: list(endpoint, 12),
    reserved_addrs: list(reservedAddr, 3),
    tunnel_sessions: list(session, 3),
    credentials: list(credential, 3),
    bot_users: list(user, 2),
    service_users: list(user, 2),
    ip_policies: list(ipPolicy, 2),
    ip_policy_rules: list(ipPolicyRule, 4),
  },
  { requiredKeys: [] },
) as unknown as fc.Arbitrary<AccountObjects>;

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
