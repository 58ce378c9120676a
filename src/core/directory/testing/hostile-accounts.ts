// Arbitrary and hostile account objects for the resolver's property tests (resolve.property.test.ts, the reference
// digest over a fixed-seed sample of them, and resolved-stamp.property.test.ts). Moved here unchanged: any change to
// these arbitraries changes the sample the reference digest was recorded on.
import fc from 'fast-check';
import type { AccountObjects } from '../../ngrok/types';

const HUGE = 'x'.repeat(300_000);
export const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'on_tcp_connect: [{actions: [{type: forward-internal, config: {url: *f}}]}]',
].join('\n');
export const aliasPolicy =
  'x: &u tcp://pc.s.internal:22\non_tcp_connect:\n  - actions:\n      - type: forward-internal\n        config: {url: *u}\n';
export const protoPolicy =
  '{"__proto__": {"polluted": 1}, "on_tcp_connect": [{"actions": [{"type": "forward-internal", "config": {"url": "tcp://pc.s.internal:22", "__proto__": {"polluted": 2}}}]}]}';
export const yamlProto =
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
export const hostile = fc.oneof(
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
export const target = fc.oneof(
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
export const policy = fc.oneof(
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
export const metadata = fc.oneof(
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
export const endpointUrl = fc.oneof(
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
export const list = <T>(arb: fc.Arbitrary<T>, maxLength: number) =>
  fc.oneof({ weight: 6, arbitrary: fc.array(arb, { maxLength }) }, { weight: 1, arbitrary: hostile });

export const accountObjects = fc.record(
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
