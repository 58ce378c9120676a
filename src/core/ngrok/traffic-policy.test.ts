// Tests for what the directory work added to the policy parser: several phases in order, and the JSON fast path
// (which must read every JSON document exactly as the YAML parser does).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { ToStringOptions } from 'yaml';
import { parseTrafficPolicy, parseTrafficPolicyPhases, plainBlockYaml, quickYaml } from './traffic-policy';

const fwd = (url: string) => ({ actions: [{ type: 'forward-internal', config: { url } }] });

describe('parseTrafficPolicyPhases', () => {
  it('returns the rules of the phases in the order given', () => {
    const text = JSON.stringify({
      on_http_request: [fwd('https://b.internal')],
      on_tcp_connect: [fwd('tcp://a.internal:1')],
    });
    const parsed = parseTrafficPolicyPhases(text, ['on_tcp_connect', 'on_http_request']);
    expect(parsed.ok && parsed.rules.map((r) => r.actions[0]?.config.url)).toEqual([
      'tcp://a.internal:1',
      'https://b.internal',
    ]);
  });

  it('an absent or empty phase has no rules; a phase that is not a list is malformed', () => {
    expect(parseTrafficPolicyPhases('on_tcp_connect:\n', ['on_tcp_connect', 'on_http_request'])).toEqual({
      ok: true,
      rules: [],
    });
    expect(parseTrafficPolicyPhases('{"on_http_request": 5}', ['on_http_request'])).toEqual({
      ok: false,
      reason: 'on_http_request is not a list of rules',
    });
  });
});

describe('the JSON fast path', () => {
  it('reads JSON exactly as the YAML parser would', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ on_tcp_connect: v }));
    fc.assert(
      fc.property(json, (text) => {
        const viaYaml = ((): unknown => {
          try {
            return parseYaml(text, { maxAliasCount: 50 });
          } catch {
            return 'error';
          }
        })();
        const expected =
          typeof viaYaml === 'object' && viaYaml !== null ? parseTrafficPolicy(`# yaml\n${text}`) : null;
        if (expected !== null) expect(parseTrafficPolicy(text)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('YAML flow style that is not strict JSON still parses', () => {
    const parsed = parseTrafficPolicy(
      '{on_tcp_connect: [{actions: [{type: forward-internal, config: {url: "tcp://a.internal:22"}}]}]}',
    );
    expect(parsed.ok && parsed.onTcpConnect[0]?.actions[0]?.config.url).toBe('tcp://a.internal:22');
  });
});

/** What the `yaml` package makes of a text: its value, or 'error'. */
function viaYaml(text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 50 });
  } catch {
    return 'error';
  }
}

// Scalars that read differently under YAML 1.1, YAML 1.2 and the two parsers, in keys and values.
const tricky = fc.constantFrom(
  '-.5',
  '+.5',
  '.5',
  '5.',
  '1e3',
  '0o17',
  '017',
  '0x1F',
  '1_000',
  '+12',
  '~',
  'null',
  'Null',
  'yes',
  'no',
  'on',
  'off',
  'True',
  'FALSE',
  '.inf',
  '-.Inf',
  '.NaN',
  '',
  ' ',
  'a: b',
  'a #b',
  "it's",
  '"q"',
  '- x',
  '__proto__',
  'tcp://a.b.internal:22',
  "req.url.path.startsWith('/api')",
  '203.0.113.0/24',
);
const scalar = fc.oneof(
  { weight: 3, arbitrary: tricky },
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z0-9 ._:/\-,()=+$~^;<]{0,12}$/) },
  { weight: 1, arbitrary: fc.oneof(fc.boolean(), fc.integer(), fc.double(), fc.constant(null)) },
);
const key = fc.oneof(tricky, fc.stringMatching(/^[a-z_]{1,10}$/));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
}));
/** Policy-shaped documents (the fleet's and ngrok's examples) and arbitrary ones, written as block YAML. */
const policyLike = fc
  .record({
    url: fc.oneof(tricky, fc.constantFrom('tcp://pc.clinic1.internal:22', 'tls://db.internal:443')),
    allow: fc.array(fc.oneof(tricky, fc.constant('10.0.0.0/8')), { maxLength: 3 }),
    enforce: fc.oneof(fc.boolean(), tricky),
    name: fc.option(scalar, { nil: undefined }),
  })
  .map(({ url, allow, enforce, name }) => ({
    on_tcp_connect: [
      {
        ...(name === undefined ? {} : { name }),
        actions: [
          { type: 'restrict-ips', config: { enforce, allow } },
          { type: 'forward-internal', config: { url } },
        ],
      },
    ],
  }));
const styles = fc.record({
  indentSeq: fc.boolean(),
  indent: fc.constantFrom(2, 3, 4),
  defaultStringType: fc.constantFrom('PLAIN', 'PLAIN', 'PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'),
  lineWidth: fc.constantFrom(0, 20, 80),
});
/** Documents of plain strings and booleans only: the texts the fast path is for, compared in bulk. */
const cleanScalar = fc.oneof(
  fc.boolean(),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._:/\-,()=+$~^;<]{0,15}$/),
  fc.constantFrom('tcp://pc.clinic1.internal:22', '203.0.113.0/24', 'forward-internal', 'restrict-ips'),
);
const { clean } = fc.letrec((tie) => ({
  clean: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    cleanScalar,
    fc.array(tie('clean'), { minLength: 1, maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), tie('clean'), { minKeys: 1, maxKeys: 3 }),
  ),
}));
const written = fc
  .tuple(
    fc.oneof(
      policyLike,
      fc.dictionary(key, value, { maxKeys: 4 }),
      fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), clean, { minKeys: 1, maxKeys: 4 }),
    ),
    styles,
  )
  .map(([doc, style]) => toYaml(doc, style as ToStringOptions));
/** Written YAML with a line cut, doubled, re-indented or joined: texts either parser may refuse. */
const damage = (texts: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(texts, fc.nat(), fc.constantFrom('cut', 'double', 'indent', 'join', 'dash'))
    .map(([text, at, how]) => {
      const lines = text.split('\n');
      const i = lines.length === 0 ? 0 : at % lines.length;
      const line = lines[i] ?? '';
      if (how === 'cut') lines[i] = line.slice(0, Math.floor(line.length / 2));
      if (how === 'double') lines.splice(i, 0, line);
      if (how === 'indent') lines[i] = ` ${line}`;
      if (how === 'join') lines.splice(i, 2, `${line} ${lines[i + 1] ?? ''}`);
      if (how === 'dash') lines[i] = line.replace(/^(\s*)/, '$1- ');
      return lines.join('\n');
    });
const damaged = damage(written);

describe('the js-yaml fast path (issue 12, item 5)', () => {
  it('answers only when its answer is what the yaml package says', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(written, damaged), (text) => {
        const quick = quickYaml(text);
        if (quick === undefined) return;
        answered++;
        expect(quick).toEqual(viaYaml(text));
      }),
      { numRuns: 3000 },
    );
    // The fast path is taken often enough for the comparison to mean something.
    expect(answered).toBeGreaterThan(200);
  });

  it('takes the fleet policies and leaves aliases, tags, flow style and ambiguous scalars to yaml', () => {
    const fleet = toYaml({
      on_tcp_connect: [
        {
          name: 'allow office networks',
          actions: [{ type: 'restrict-ips', config: { enforce: true, allow: ['203.0.113.0/24'] } }],
        },
        {
          name: 'forward to device',
          actions: [{ type: 'forward-internal', config: { url: 'tcp://pc.clinic1.internal:22' } }],
        },
      ],
    });
    expect(quickYaml(fleet)).toEqual(viaYaml(fleet));
    for (const text of [
      'x: &u tcp://pc.s.internal:22\non_tcp_connect: [{actions: [{type: forward-internal, config: {url: *u}}]}]',
      'on_tcp_connect: !!binary aGVsbG8=',
      '{on_tcp_connect: []}',
      'a: -.5',
      '~: 1',
      'a:\n  b: |\n    text\n',
      '__proto__:\n  polluted: 3\n',
      'a: 1\na: 2',
    ])
      expect(quickYaml(text), text).toBeUndefined();
  });
});

/** Clean documents in the layout the line reader is for (two spaces, sequences indented), whole or damaged. */
const blockWritten = fc
  .tuple(
    fc.oneof(
      policyLike,
      fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), clean, { minKeys: 1, maxKeys: 4 }),
    ),
    fc.constantFrom(0, 20, 80),
  )
  .map(([doc, lineWidth]) => toYaml(doc, { indent: 2, indentSeq: true, lineWidth }));
const blockDamaged = damage(blockWritten);

describe('the line reader for plain block YAML (issue 12, item 5)', () => {
  it('answers only when its answer is what the yaml package says', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(written, damaged, blockWritten, blockDamaged), (text) => {
        // quickYaml's character checks come first in production; the reader must be right even without them.
        const block = plainBlockYaml(text);
        if (block === undefined) return;
        answered++;
        expect(block).toEqual(viaYaml(text));
      }),
      { numRuns: 4000 },
    );
    // The reader is taken often enough for the comparison to mean something.
    expect(answered).toBeGreaterThan(300);
  });

  it('reads the fleet policies and leaves folded, compact, oddly indented and ambiguous text to the parsers', () => {
    const fleet = toYaml({
      on_tcp_connect: [
        {
          name: 'allow office networks',
          actions: [
            { type: 'restrict-ips', config: { enforce: true, allow: ['203.0.113.0/24', '198.51.100.7/32'] } },
          ],
        },
        {
          name: 'forward to device',
          actions: [{ type: 'forward-internal', config: { url: 'tcp://pc.clinic1.internal:22' } }],
        },
      ],
    });
    expect(plainBlockYaml(fleet)).toEqual(viaYaml(fleet));
    for (const text of [
      'a:\n- b\n',
      'a: b\n  c\n',
      'a:\n   b: c\n  d: e\n',
      'a: 1\n',
      'a: null\n',
      'a: b: c\n',
      'a: b\na: c\n',
      'true: x\n',
      '__proto__:\n  x: y\n',
      '  a: b\n',
      '- a\n',
      'a:  b\n',
      'a:\n  - b\n   c\n',
      'a:\n  -\n    b: c\n',
    ])
      expect(plainBlockYaml(text), text).toBeUndefined();
  });
});
