// startSandbox composed: generated loopback fleet + TCP edge + demo SSH device + admin API, over real sockets.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../core/ngrok/types';
import { startSandbox, type RunningSandbox } from './index';
import { apiGet } from './test-helpers';

/** Connects and returns what the server says first ('' when the edge closes the connection without a word). */
function firstWords(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\n')) {
        sock.destroy();
        resolve(got);
      }
    });
    sock.on('error', () => resolve(got));
    sock.on('close', () => resolve(got));
  });
}

async function admin(
  sb: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sb.adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${sb.apiKey}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('startSandbox', () => {
  let sb: RunningSandbox;
  let sshCloud: Endpoint;
  let sshAgent: Endpoint;
  beforeAll(async () => {
    sb = await startSandbox({ generate: { sites: 3, devices: 8, seed: 5 }, rateLimit: false });
    const all = (await apiGet(sb.apiUrl, '/endpoints')).body.endpoints as Endpoint[];
    const agents = new Map(all.filter((e) => e.type !== 'cloud').map((e) => [e.url, e]));
    sshCloud = all.find(
      (e) =>
        e.type === 'cloud' &&
        /internal:22"/.test(e.traffic_policy!) &&
        [...agents.keys()].some((u) => e.traffic_policy!.includes(`${u}"`)),
    )!;
    sshAgent = [...agents.values()].find((a) => sshCloud.traffic_policy!.includes(`${a.url}"`))!;
  });
  afterAll(() => sb.close());

  it('prints a loopback API URL and the demo key, and runs the demo SSH device behind generated SSH services', () => {
    expect(sb.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.apiKey).toBe('sitehop-demo-key');
    expect(sb.demoDevice?.port).toBeGreaterThan(0);
    expect(sshAgent.upstream_url).toBe(`tcp://127.0.0.1:${sb.demoDevice!.port}`);
    expect(sshCloud.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  });

  it('carries a connection to a cloud endpoint through the edge to the demo device, until its agent goes offline', async () => {
    expect(await firstWords(sshCloud.port!)).toMatch(/^SSH-2\.0-/);
    const ts = sshAgent.tunnel_session!.id!;
    const off = await admin(sb, 'POST', `/agents/${ts}/offline`);
    expect(off.status).toBe(200);
    expect(off.body.online).toBe(false);
    expect((await apiGet(sb.apiUrl, `/endpoints/${sshAgent.id}`)).status).toBe(404);
    expect((await apiGet(sb.apiUrl, `/tunnel_sessions/${ts}`)).status).toBe(404);
    expect((await apiGet(sb.apiUrl, `/endpoints/${sshCloud.id}`)).status).toBe(200);
    expect(await firstWords(sshCloud.port!)).toBe('');
    expect((await admin(sb, 'POST', `/agents/${ts}/online`)).body.online).toBe(true);
    expect(await firstWords(sshCloud.port!)).toMatch(/^SSH-2\.0-/);
  });

  it('adds and removes a cloud endpoint through the admin API; the edge follows', async () => {
    const policy = JSON.stringify({
      on_tcp_connect: [{ actions: [{ type: 'forward-internal', config: { url: sshAgent.url } }] }],
    });
    const added = await admin(sb, 'POST', '/endpoints', {
      type: 'cloud',
      url: 'tcp://127.0.0.1:0',
      traffic_policy: policy,
      bindings: ['public'],
      reserved_addr: { description: 'added by a test' },
    });
    expect(added.status).toBe(201);
    const ep = added.body as Endpoint;
    expect(ep.port).toBeGreaterThan(0);
    expect((await apiGet(sb.apiUrl, `/reserved_addrs/${ep.tcp_addr!.id}`)).body.addr).toBe(
      `127.0.0.1:${ep.port}`,
    );
    expect(((await apiGet(sb.apiUrl, '/endpoints?limit=1')).body.endpoints as Endpoint[])[0]!.id).toBe(ep.id);
    await sb.settled();
    expect(await firstWords(ep.port!)).toMatch(/^SSH-2\.0-/);
    expect((await admin(sb, 'DELETE', `/endpoints/${ep.id}`)).status).toBe(204);
    expect((await apiGet(sb.apiUrl, `/endpoints/${ep.id}`)).status).toBe(404);
    expect((await admin(sb, 'DELETE', `/endpoints/${ep.id}`)).status).toBe(404);
  });

  it('serves the admin state and agents, behind the same key', async () => {
    const state = await admin(sb, 'GET', '/state');
    expect(Object.keys(state.body)).toEqual(
      expect.arrayContaining([
        'endpoints',
        'reserved_addrs',
        'tunnel_sessions',
        'credentials',
        'bot_users',
        'service_users',
        'sandbox',
      ]),
    );
    const agents = (await admin(sb, 'GET', '/agents')).body.agents as Array<{
      label: string;
      online: boolean;
    }>;
    expect(agents).toHaveLength(3);
    expect(agents.some((a) => !a.online)).toBe(true);
    const noKey = await fetch(`${sb.adminUrl}/state`);
    expect(noKey.status).toBe(401);
    expect((await admin(sb, 'GET', '/nothing')).status).toBe(404);
    expect((await admin(sb, 'POST', '/endpoints', { url: 'nope' })).status).toBe(400);
  });
});

describe('startSandbox guards and shutdown', () => {
  it('refuses anything but loopback and ambiguous sources', async () => {
    await expect(startSandbox({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1 only/);
    await expect(startSandbox({ state: {}, generate: { sites: 1, devices: 1, seed: 1 } })).rejects.toThrow(
      /either/,
    );
  });

  it('closes every listener on close()', async () => {
    const sb = await startSandbox({ generate: { sites: 1, devices: 2, seed: 2 } });
    const cloud = ((await apiGet(sb.apiUrl, '/endpoints')).body.endpoints as Endpoint[]).filter(
      (e) => e.type === 'cloud',
    );
    await sb.close();
    const refused = (port: number): Promise<boolean> =>
      new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.on('error', () => resolve(true));
      });
    expect(await refused(Number(new URL(sb.apiUrl).port))).toBe(true);
    expect(await refused(sb.demoDevice!.port)).toBe(true);
    for (const ep of cloud) expect(await refused(ep.port!)).toBe(true);
  });
});
