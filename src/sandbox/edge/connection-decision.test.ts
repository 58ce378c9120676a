import { describe, expect, it } from 'vitest';
import { decideConnection, type AgentLookup } from './connection-decision';
import { restrictAndForwardPolicy } from './in-memory-edge-view';

const TARGET = 'tcp://frontdesk.clinic1.internal:22';
const online: AgentLookup = (url) => (url === TARGET ? { upstream_url: 'tcp://localhost:2222' } : undefined);
const offline: AgentLookup = () => undefined;
const facts = (clientIp: string) => ({
  clientIp,
  clientPort: 50000,
  serverIp: '127.0.0.1',
  serverPort: 21000,
});

function decide(
  policy: unknown,
  clientIp = '127.0.0.1',
  lookup = online,
): { kind: string; lines: string[]; reason?: string } {
  const lines: string[] = [];
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  const d = decideConnection(text, facts(clientIp), lookup, (l) => lines.push(l));
  return d.kind === 'close' ? { kind: 'close', reason: d.reason, lines } : { kind: 'forward', lines };
}

const fwd = { type: 'forward-internal', config: { url: TARGET } };
const restrict = (config: Record<string, unknown>) => ({
  type: 'restrict-ips',
  config: { enforce: true, ...config },
});

describe('decideConnection', () => {
  it('forwards an allowed client to the agent upstream', () => {
    const d = decideConnection(
      restrictAndForwardPolicy(TARGET, ['127.0.0.0/8']),
      facts('127.0.0.1'),
      online,
      () => {},
    );
    expect(d).toEqual({
      kind: 'forward',
      targetUrl: TARGET,
      upstreamUrl: 'tcp://localhost:2222',
      upstream: { host: '127.0.0.1', port: 2222 },
      agentId: TARGET,
    });
  });

  it('closes when restrict-ips does not allow the client, and for a deny match even inside an allow range', () => {
    expect(decide(restrictAndForwardPolicy(TARGET, ['203.0.113.42/32'])).kind).toBe('close');
    expect(decide(restrictAndForwardPolicy(TARGET, ['0.0.0.0/0'], ['127.0.0.1/32'])).kind).toBe('close');
  });

  it('denies everyone on a deny-only list, as ngrok does (ERR_NGROK_393)', () => {
    expect(decide({ on_tcp_connect: [{ actions: [restrict({ deny: ['10.0.0.0/8'] }), fwd] }] }).kind).toBe(
      'close',
    );
  });

  it('matches IPv4-mapped IPv6 clients and mapped CIDRs as IPv4, and keeps families apart', () => {
    expect(decide(restrictAndForwardPolicy(TARGET, ['127.0.0.1/32']), '::ffff:127.0.0.1').kind).toBe(
      'forward',
    );
    expect(decide(restrictAndForwardPolicy(TARGET, ['::ffff:127.0.0.0/104']), '127.0.0.1').kind).toBe(
      'forward',
    );
    expect(decide(restrictAndForwardPolicy(TARGET, ['::/0']), '127.0.0.1').kind).toBe('close');
    expect(decide(restrictAndForwardPolicy(TARGET, ['::1/128']), '::1').kind).toBe('forward');
  });

  it('only reports with enforce: false', () => {
    const d = decide({
      on_tcp_connect: [{ actions: [restrict({ enforce: false, allow: ['10.0.0.0/8'] }), fwd] }],
    });
    expect(d.kind).toBe('forward');
    expect(d.lines.join('\n')).toMatch(/enforce is false/);
  });

  it('fails closed on a CIDR it cannot read and on ip_policies it cannot resolve', () => {
    expect(decide(restrictAndForwardPolicy(TARGET, ['not-a-cidr'])).kind).toBe('close');
    const d = decide({ on_tcp_connect: [{ actions: [restrict({ ip_policies: ['ipp_1'] }), fwd] }] });
    expect(d.kind).toBe('close');
    expect(d.lines.join('\n')).toMatch(/ip_policies/);
  });

  it('closes when the target is offline, or continues to the next rule with on_error: continue', () => {
    expect(decide(restrictAndForwardPolicy(TARGET), '127.0.0.1', offline).kind).toBe('close');
    const other = 'tcp://backup.clinic1.internal:22';
    const policy = {
      on_tcp_connect: [
        { actions: [{ type: 'forward-internal', config: { url: other, on_error: 'continue' } }] },
        { actions: [fwd] },
      ],
    };
    expect(decide(policy).kind).toBe('forward');
  });

  it('runs rules in order: deny, close-connection and custom-response end the connection', () => {
    for (const type of ['deny', 'close-connection', 'custom-response']) {
      expect(decide({ on_tcp_connect: [{ actions: [{ type }] }, { actions: [fwd] }] }).kind).toBe('close');
    }
    expect(decide({ on_tcp_connect: [{ actions: [fwd] }, { actions: [{ type: 'deny' }] }] }).kind).toBe(
      'forward',
    );
  });

  it('closes when nothing terminating runs, when the policy is missing or malformed, and skips unknown actions', () => {
    expect(decide({ on_tcp_connect: [{ actions: [restrict({ allow: ['0.0.0.0/0'] })] }] }).reason).toMatch(
      /no terminating/,
    );
    expect(decide('').kind).toBe('close');
    expect(decide('{not: [valid').kind).toBe('close');
    const d = decide({ on_tcp_connect: [{ actions: [{ type: 'log', config: {} }, fwd] }] });
    expect(d.kind).toBe('forward');
    expect(d.lines.join('\n')).toMatch(/log is not simulated/);
  });

  it('refuses an upstream that is not on loopback or not parseable', () => {
    const lan: AgentLookup = () => ({ upstream_url: 'tcp://192.168.1.10:22' });
    expect(decide(restrictAndForwardPolicy(TARGET), '127.0.0.1', lan).reason).toMatch(/not a loopback/);
    const none: AgentLookup = () => ({});
    expect(decide(restrictAndForwardPolicy(TARGET), '127.0.0.1', none).reason).toMatch(
      /no usable upstream_url/,
    );
  });

  it('evaluates supported CEL and treats unsupported CEL as not matching, without throwing', () => {
    const policy = (expressions: string[]) => ({
      on_tcp_connect: [{ name: 'gate', expressions, actions: [{ type: 'deny' }] }, { actions: [fwd] }],
    });
    expect(decide(policy(["conn.client_ip == '127.0.0.1'"])).kind).toBe('close');
    expect(decide(policy(["inCidrRange(conn.client_ip, '10.0.0.0/8')"])).kind).toBe('forward');
    const d = decide(policy(["conn.geo.country_code != 'US'"]));
    expect(d.kind).toBe('forward');
    expect(d.lines.join('\n')).toMatch(/cannot evaluate .*treated as not matching/);
  });

  it('accepts a YAML policy', () => {
    const yaml = `on_tcp_connect:\n  - actions:\n      - type: restrict-ips\n        config: { allow: [127.0.0.1/32] }\n      - type: forward-internal\n        config: { url: "${TARGET}" }\n`;
    expect(decide(yaml).kind).toBe('forward');
  });
});
