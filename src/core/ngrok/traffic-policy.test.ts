// Tests for what the directory work added to the policy parser: several phases in order, and the JSON fast path
// (which must read every JSON document exactly as the YAML parser does).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseTrafficPolicy, parseTrafficPolicyPhases } from './traffic-policy';

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
