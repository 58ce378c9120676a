// The client, fetchAccount and the resolver together against the real sandbox ngrok server, on generated fleets.
// Expected values come from the generated state, not from the resolver: one site per agent (its owner is named
// after the site), every device, one service per cloud endpoint, online exactly where an agent endpoint is listed.
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/index';
import type { RunningSandbox } from '../../sandbox/index';
import { createNgrokClient, LIST_RESOURCES } from '../ngrok/client';
import type { ListResource } from '../ngrok/client';
import { fetchAccount } from '../ngrok/fetch-account';
import { RequestPacer } from '../ngrok/pacer';
import { fakeClock } from '../ngrok/testing/fake-clock';
import { resolveDirectory } from './resolve';

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function fleet(
  sites: number,
  devices: number,
  seed: number,
  extra: Parameters<typeof startSandbox>[0] = {},
) {
  const sandbox = await startSandbox({
    generate: { sites, devices, seed, edgeHost: '1.tcp.ngrok.io' },
    edge: false,
    demoDevice: false,
    rateLimit: false,
    ...extra,
  });
  running.push(sandbox);
  return sandbox;
}

function minimumRequests(sandbox: RunningSandbox): number {
  return LIST_RESOURCES.reduce(
    (sum, c: ListResource) => sum + Math.max(1, Math.ceil(sandbox.store.list(c).length / 100)),
    0,
  );
}

function expectations(sandbox: RunningSandbox) {
  const endpoints = sandbox.store.list('endpoints');
  const owners = [...sandbox.store.list('service_users'), ...sandbox.store.list('bot_users')];
  return {
    siteNames: owners.map((u) => u.name).sort(),
    services: endpoints.filter((e) => e.type === 'cloud').length,
    online: endpoints.filter((e) => e.type === 'agent' || e.type === 'ephemeral').length,
    onlineSites: sandbox.store.list('tunnel_sessions').length,
  };
}

describe('fetchAccount + resolveDirectory on a generated sandbox fleet', () => {
  it.each([
    [3, 12, 1],
    [8, 140, 42],
    [25, 600, 7],
  ])('%i sites, %i devices (seed %i): expected counts, minimum requests', async (sites, devices, seed) => {
    const sandbox = await fleet(sites, devices, seed);
    const client = createNgrokClient({ apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey });
    const dir = resolveDirectory(await fetchAccount(client));
    const want = expectations(sandbox);

    expect(dir.sites.map((s) => s.name).sort()).toEqual(want.siteNames);
    expect(dir.sites).toHaveLength(sites);
    const allDevices = dir.sites.flatMap((s) => s.devices);
    const allServices = allDevices.flatMap((d) => d.services);
    expect(allDevices).toHaveLength(devices);
    expect(allServices).toHaveLength(want.services);
    expect(allServices.filter((s) => s.online)).toHaveLength(want.online);
    expect(dir.sites.filter((s) => s.online)).toHaveLength(want.onlineSites);
    expect(allServices.filter((s) => s.problem !== null)).toEqual([]);
    expect(client.requestsMade).toBe(minimumRequests(sandbox));
  });

  it('under the sandbox rate limit, the pacer alone keeps the sync free of 429s (shared fake clock)', async () => {
    const clock = fakeClock();
    const sandbox = await fleet(6, 300, 3, { rateLimit: { max: 10, windowMs: 60_000 }, now: clock.now });
    const start = clock.now();
    const pacer = new RequestPacer({ max: 10, windowMs: 60_000, now: clock.now, sleep: clock.sleep });
    const client = createNgrokClient({
      apiUrl: sandbox.apiUrl,
      apiKey: sandbox.apiKey,
      pacer,
      sleep: clock.sleep,
    });
    const dir = resolveDirectory(await fetchAccount(client));
    const min = minimumRequests(sandbox);
    expect(min).toBeGreaterThan(10);
    expect(client.requestsMade).toBe(min);
    expect(clock.now() - start).toBeGreaterThanOrEqual(60_000);
    expect(dir.sites).toHaveLength(6);
  });

  it('when something else spends the window (a pacer that knows nothing), 429s are absorbed and the result is the same', async () => {
    const clock = fakeClock();
    const sandbox = await fleet(6, 300, 3, { rateLimit: { max: 10, windowMs: 60_000 }, now: clock.now });
    const pacer = new RequestPacer({ max: 1000, windowMs: 60_000, now: clock.now, sleep: clock.sleep });
    const client = createNgrokClient({
      apiUrl: sandbox.apiUrl,
      apiKey: sandbox.apiKey,
      pacer,
      sleep: clock.sleep,
      maxRetries: 5,
    });
    const throttled = resolveDirectory(await fetchAccount(client));
    expect(client.requestsMade).toBeGreaterThan(minimumRequests(sandbox));

    const free = await fleet(6, 300, 3);
    const plain = resolveDirectory(
      await fetchAccount(createNgrokClient({ apiUrl: free.apiUrl, apiKey: free.apiKey })),
    );
    expect(throttled).toEqual(plain);
  });

  it('a wrong key against the sandbox: the typed auth error, key not in the message', async () => {
    const sandbox = await fleet(1, 1, 1);
    const client = createNgrokClient({ apiUrl: sandbox.apiUrl, apiKey: 'not-the-key-1234567' });
    await expect(client.verifyKey()).rejects.toMatchObject({
      kind: 'auth',
      code: 'unauthorized',
      ngrokCode: 'ERR_NGROK_203',
    });
    await expect(client.verifyKey()).rejects.not.toMatchObject({
      message: expect.stringContaining('not-the-key-1234567'),
    });
  });
});
