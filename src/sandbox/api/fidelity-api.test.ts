// The sandbox API as ngrok behaves for issue 11: IP policies and their rules listed and fetched by id (shapes are
// checked against the OpenAPI document in openapi-conformance.test.ts), the fields ngrok computes on listed
// endpoints, and the admin API refusing what ngrok refuses when an endpoint is created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../core/ngrok/types';
import { parseStateFile, startSandbox, type RunningSandbox } from '../index';
import { apiGet } from '../test-helpers';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({
    state: parseStateFile({
      ip_policies: [{ id: 'ipp_office', description: 'Office' }],
      ip_policy_rules: [
        { id: 'ipr_1', ip_policy: { id: 'ipp_office', uri: '' }, action: 'allow', cidr: '203.0.113.0/24' },
      ],
      endpoints: [
        {
          id: 'ep_tls',
          type: 'agent',
          url: 'tls://Patient-DB.clinic1.internal',
          upstream_url: 'tcp://localhost:5432',
        },
        {
          id: 'ep_https',
          type: 'cloud',
          url: 'https://portal.example.com',
          traffic_policy: '{"on_http_request":[{"actions":[{"type":"deny"}]}]}',
        },
        {
          id: 'ep_tcp',
          type: 'cloud',
          url: 'tcp://1.tcp.ngrok.io:20001',
          bindings: ['public'],
          traffic_policy: '{"on_tcp_connect":[{"actions":[{"type":"deny"}]}]}',
        },
      ],
    }),
    edge: false,
    rateLimit: false,
  });
});
afterAll(() => sb.close());

async function adminPost(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sb.adminUrl}/endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sb.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('IP policies', () => {
  it('are listed and fetched by id, with sandbox URIs on the rule’s policy Ref', async () => {
    const list = await apiGet(sb.apiUrl, '/ip_policies');
    expect(list.status).toBe(200);
    expect((list.body.ip_policies as Array<{ id: string }>).map((p) => p.id)).toEqual(['ipp_office']);
    const rule = await apiGet(sb.apiUrl, '/ip_policy_rules/ipr_1');
    expect(rule.body).toMatchObject({
      cidr: '203.0.113.0/24',
      action: 'allow',
      ip_policy: { id: 'ipp_office', uri: `${sb.apiUrl}/ip_policies/ipp_office` },
    });
    expect((await apiGet(sb.apiUrl, '/ip_policies/ipp_nope')).status).toBe(404);
  });

  it('a state file with a misspelt collection is refused', () => {
    expect(() => parseStateFile({ ip_policys: [] })).toThrow(/invalid sandbox state/);
  });
});

describe('computed endpoint fields', () => {
  it.each([
    [
      'ep_tls',
      {
        public_url: 'tls://Patient-DB.clinic1.internal',
        proto: 'tls',
        scheme: 'tls',
        host: 'Patient-DB.clinic1.internal',
        port: 443,
        hostport: 'Patient-DB.clinic1.internal:443',
        bindings: ['internal'],
      },
    ],
    ['ep_https', { proto: 'https', port: 443, hostport: 'portal.example.com:443', bindings: ['public'] }],
    [
      'ep_tcp',
      {
        proto: 'tcp',
        host: '1.tcp.ngrok.io',
        port: 20001,
        hostport: '1.tcp.ngrok.io:20001',
        bindings: ['public'],
      },
    ],
  ])('%s', async (id, fields) => {
    const { body } = await apiGet(sb.apiUrl, `/endpoints/${id}`);
    expect(body).toMatchObject(fields);
  });
});

describe('the admin API refuses what ngrok refuses on create', () => {
  const deny = '{"on_tcp_connect":[{"actions":[{"type":"deny"}]}]}';

  it('a TCP URL without a port (ERR_NGROK_249)', async () => {
    const r = await adminPost({ type: 'cloud', url: 'tcp://1.tcp.ngrok.io', traffic_policy: deny });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe('ERR_NGROK_249');
  });

  it.each([
    ['no policy', undefined],
    [
      'only restrict-ips',
      '{"on_tcp_connect":[{"actions":[{"type":"restrict-ips","config":{"allow":["0.0.0.0/0"]}}]}]}',
    ],
    [
      'a forward in a phase TCP never runs',
      '{"on_http_request":[{"actions":[{"type":"forward-internal","config":{"url":"tcp://a.internal:22"}}]}]}',
    ],
  ])('a cloud policy that never reaches a terminating action: %s', async (_name, policy) => {
    const r = await adminPost({
      type: 'cloud',
      url: 'tcp://1.tcp.ngrok.io:20009',
      ...(policy ? { traffic_policy: policy } : {}),
    });
    expect(r.status).toBe(400);
    expect(String(r.body.msg)).toMatch(/terminating action/);
  });

  it('accepts the legacy inbound phase and fills the computed fields on what it creates', async () => {
    const r = await adminPost({
      type: 'cloud',
      url: 'tls://db.example.com',
      traffic_policy:
        '{"inbound":[{"actions":[{"type":"forward-internal","config":{"url":"tls://db.clinic1.internal"}}]}]}',
    });
    expect(r.status).toBe(201);
    expect(r.body as Endpoint).toMatchObject({ port: 443, proto: 'tls', hostport: 'db.example.com:443' });
  });
});
