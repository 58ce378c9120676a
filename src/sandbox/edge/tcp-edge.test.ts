// The edge against real sockets on 127.0.0.1: listeners follow the view, policies decide, bytes pass intact.
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from './index';
import { InMemoryEdgeView, restrictAndForwardPolicy } from './in-memory-edge-view';
import {
  connectLoopback,
  readToClose,
  sendRandom,
  startEchoServer,
  type LoopbackTestServer,
} from './loopback-test-servers';

const TARGET = 'tcp://frontdesk.clinic1.internal:22';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  policy = restrictAndForwardPolicy(TARGET),
): Promise<{ view: InMemoryEdgeView; edge: Edge; echo: LoopbackTestServer; port: number; lines: string[] }> {
  const echo = await startEchoServer();
  cleanups.push(() => echo.close());
  const view = new InMemoryEdgeView();
  view.putCloudEndpoint({ id: 'ep_ssh', url: 'tcp://127.0.0.1:0', traffic_policy: policy });
  view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${echo.port}`);
  const lines: string[] = [];
  const edge = await startEdge(view, { log: (l) => lines.push(l) });
  cleanups.push(() => edge.close());
  const port = edge.listening().find((l) => l.endpointId === 'ep_ssh')?.port;
  if (!port) throw new Error('the edge did not listen');
  return { view, edge, echo, port, lines };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('sandbox TCP edge', () => {
  it('passes 100 MB through unchanged in both directions, with half-close', async () => {
    const { echo, port } = await setup();
    const socket = await connectLoopback(port);
    const [sentHash, back] = await Promise.all([sendRandom(socket, 100 * 1024 * 1024), readToClose(socket)]);
    expect(back.ended).toBe(true);
    expect(back.error).toBeUndefined();
    expect(back.bytes).toBe(100 * 1024 * 1024);
    expect(back.sha256).toBe(sentHash);
    expect(echo.received).toEqual([{ bytes: 100 * 1024 * 1024, sha256: sentHash }]);
  });

  it('keeps 50 concurrent connections apart', async () => {
    const { echo, port } = await setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const socket = await connectLoopback(port);
        const [sent, back] = await Promise.all([
          sendRandom(socket, 1024 * 1024, 16 * 1024),
          readToClose(socket),
        ]);
        return back.sha256 === sent && back.bytes === 1024 * 1024;
      }),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(echo.accepted()).toBe(50);
  });

  it('closes at once, without reaching the upstream, when restrict-ips excludes 127.0.0.1', async () => {
    const { echo, port, lines } = await setup(restrictAndForwardPolicy(TARGET, ['203.0.113.0/24', '::/0']));
    const socket = await connectLoopback(port);
    const outcome = await readToClose(socket);
    expect(outcome.bytes).toBe(0);
    expect(echo.accepted()).toBe(0);
    expect(lines.join('\n')).toMatch(/restrict-ips denied 127\.0\.0\.1/);
  });

  it('closes a connection made while the agent is offline', async () => {
    const { view, echo, port, lines } = await setup();
    view.removeAgentEndpoint(TARGET);
    const outcome = await readToClose(await connectLoopback(port));
    expect(outcome.bytes).toBe(0);
    expect(echo.accepted()).toBe(0);
    expect(lines.join('\n')).toMatch(/offline/);
  });

  it('cuts open connections when their agent goes offline, and forwards again when it is back', async () => {
    const { view, echo, port } = await setup();
    const socket = await connectLoopback(port);
    const outcome = readToClose(socket);
    socket.write('ping');
    await once(socket, 'data');
    view.removeAgentEndpoint(TARGET);
    const cut = await outcome;
    expect(cut.bytes).toBe(4);
    view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${echo.port}`);
    const again = await connectLoopback(port);
    const back = readToClose(again);
    again.end('pong');
    expect((await back).bytes).toBe(4);
  });

  it('follows the view: new endpoints get listeners, removed ones lose them and their connections', async () => {
    const { view, edge, echo, port } = await setup();
    const explicit = await freePort();
    view.putCloudEndpoint({
      id: 'ep_new',
      url: `tcp://127.0.0.1:${explicit}`,
      traffic_policy: restrictAndForwardPolicy(TARGET),
    });
    view.putCloudEndpoint({
      id: 'ep_public',
      url: 'tcp://1.tcp.ngrok.io:21234',
      traffic_policy: restrictAndForwardPolicy(TARGET),
    });
    await edge.ready();
    expect(edge.listening()).toEqual(expect.arrayContaining([{ endpointId: 'ep_new', port: explicit }]));
    expect(edge.listening().map((l) => l.endpointId)).not.toContain('ep_public');

    const open = await connectLoopback(port);
    const outcome = readToClose(open);
    open.write('x');
    await once(open, 'data');
    view.removeCloudEndpoint('ep_ssh');
    await edge.ready();
    expect((await outcome).bytes).toBe(1);
    expect(edge.listening().map((l) => l.endpointId)).toEqual(['ep_new']);
    const refused = net.connect({ host: '127.0.0.1', port });
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
    expect(echo.accepted()).toBe(1);
  });

  it('applies a policy edit to the next connection', async () => {
    const { view, edge, echo, port } = await setup();
    view.putCloudEndpoint({
      id: 'ep_ssh',
      url: 'tcp://127.0.0.1:0',
      traffic_policy: JSON.stringify({ on_tcp_connect: [{ actions: [{ type: 'deny' }] }] }),
    });
    await edge.ready();
    expect(edge.listening()).toEqual([{ endpointId: 'ep_ssh', port }]);
    expect((await readToClose(await connectLoopback(port))).bytes).toBe(0);
    expect(echo.accepted()).toBe(0);
  });

  it('survives an upstream that refuses, a client that resets, and a port it cannot take', async () => {
    const { view, edge, echo, port, lines } = await setup();
    const dead = await freePort();
    view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${dead}`);
    expect((await readToClose(await connectLoopback(port))).bytes).toBe(0);
    expect(lines.join('\n')).toMatch(/ECONNREFUSED/);

    view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${echo.port}`);
    const rude = await connectLoopback(port);
    rude.write(Buffer.alloc(64 * 1024));
    await once(rude, 'data');
    rude.resetAndDestroy();

    view.putCloudEndpoint({
      id: 'ep_clash',
      url: `tcp://127.0.0.1:${echo.port}`,
      traffic_policy: restrictAndForwardPolicy(TARGET),
    });
    await edge.ready();
    expect(edge.listening().map((l) => l.endpointId)).not.toContain('ep_clash');
    expect(lines.join('\n')).toMatch(/cannot listen .*EADDRINUSE/);

    const fine = await connectLoopback(port);
    const back = readToClose(fine);
    fine.end('still here');
    expect((await back).bytes).toBe(10);
  });

  it('refuses a non-loopback bind host and closes cleanly', async () => {
    await expect(startEdge(new InMemoryEdgeView(), { host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    const { edge, port } = await setup();
    await edge.close();
    expect(edge.listening()).toEqual([]);
    const refused = net.connect({ host: '127.0.0.1', port });
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
  });
});
