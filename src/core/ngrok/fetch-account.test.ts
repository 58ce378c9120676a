import { afterEach, describe, expect, it } from 'vitest';
import type { ListResource } from './client';
import { createNgrokClient } from './client';
import type { FetchProgress } from './fetch-account';
import { estimatePages, fetchAccount } from './fetch-account';
import { NgrokApiError } from './errors';
import type { LoopbackServer } from './testing/loopback-server';
import { sendJson, sendNgrokError, startLoopback } from './testing/loopback-server';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A paged fake of the six list endpoints, with opaque cursors; a missing collection answers 404. */
async function fakeApi(
  counts: Partial<Record<ListResource, number>>,
  failWith?: { resource: ListResource; status: number },
) {
  let base = '';
  const s = await startLoopback((req, res) => {
    const url = new URL(req.url ?? '', base);
    const resource = url.pathname.slice(1) as ListResource;
    if (failWith?.resource === resource) return sendNgrokError(res, failWith.status, 'ERR_NGROK_X');
    const count = counts[resource];
    if (count === undefined) return sendNgrokError(res, 404, 'ERR_NGROK_404');
    const from = Number(url.searchParams.get('cursor') ?? '0');
    const to = Math.min(count, from + 100);
    const items = Array.from({ length: to - from }, (_, i) => ({ id: `${resource}_${from + i}` }));
    sendJson(res, 200, {
      [resource]: items,
      next_page_uri: to < count ? `${base}/${resource}?cursor=${to}&limit=100` : null,
    });
  });
  base = s.url;
  servers.push(s);
  return s;
}

describe('fetchAccount', () => {
  it('lists every collection over as many pages as needed, with the minimum of requests', async () => {
    const counts = {
      endpoints: 250,
      reserved_addrs: 100,
      tunnel_sessions: 3,
      credentials: 101,
      bot_users: 0,
      service_users: 7,
      ip_policies: 2,
      ip_policy_rules: 130,
    };
    const s = await fakeApi(counts);
    const client = createNgrokClient({ apiUrl: s.url, apiKey: 'k_test_key' });
    const objects = await fetchAccount(client);
    expect(objects.endpoints).toHaveLength(250);
    expect(objects.reserved_addrs).toHaveLength(100);
    expect(objects.tunnel_sessions).toHaveLength(3);
    expect(objects.credentials).toHaveLength(101);
    expect(objects.bot_users).toHaveLength(0);
    expect(objects.service_users).toHaveLength(7);
    expect(objects.ip_policies).toHaveLength(2);
    expect(objects.ip_policy_rules).toHaveLength(130);
    expect(client.requestsMade).toBe(3 + 1 + 1 + 2 + 1 + 1 + 1 + 2);
  });

  it('treats a 404 on /service_users, /bot_users and the IP policy collections as empty', async () => {
    const s = await fakeApi({ endpoints: 1, reserved_addrs: 0, tunnel_sessions: 0, credentials: 0 });
    const objects = await fetchAccount(createNgrokClient({ apiUrl: s.url, apiKey: 'k_test_key' }));
    expect(objects.service_users).toEqual([]);
    expect(objects.bot_users).toEqual([]);
    expect(objects.ip_policies).toEqual([]);
    expect(objects.ip_policy_rules).toEqual([]);
    expect(objects.endpoints).toHaveLength(1);
  });

  it('fails with the root cause when a required collection fails', async () => {
    const s = await fakeApi(
      { endpoints: 1000, reserved_addrs: 0, tunnel_sessions: 0, credentials: 0 },
      { resource: 'credentials', status: 403 },
    );
    const err = await fetchAccount(createNgrokClient({ apiUrl: s.url, apiKey: 'k_test_key' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NgrokApiError);
    expect(err).toMatchObject({ kind: 'forbidden' });
  });

  it('a 404 on /endpoints is not swallowed', async () => {
    const s = await fakeApi({ reserved_addrs: 0, tunnel_sessions: 0, credentials: 0 });
    await expect(
      fetchAccount(createNgrokClient({ apiUrl: s.url, apiKey: 'k_test_key' })),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('reports progress per collection, estimating pages from the previous counts', async () => {
    const s = await fakeApi({
      endpoints: 250,
      reserved_addrs: 0,
      tunnel_sessions: 0,
      credentials: 0,
      bot_users: 0,
      service_users: 0,
    });
    const seen: FetchProgress[] = [];
    await fetchAccount(createNgrokClient({ apiUrl: s.url, apiKey: 'k_test_key' }), {
      previousCounts: { endpoints: 180 },
      onProgress: (p) => seen.push(p),
    });
    const ep = seen.filter((p) => p.resource === 'endpoints');
    expect(ep).toEqual([
      { resource: 'endpoints', pagesDone: 0, pagesEstimated: 2, done: false },
      { resource: 'endpoints', pagesDone: 1, pagesEstimated: 2, done: false },
      { resource: 'endpoints', pagesDone: 2, pagesEstimated: 3, done: false },
      { resource: 'endpoints', pagesDone: 3, pagesEstimated: 3, done: true },
    ]);
    expect(
      seen
        .filter((p) => p.done)
        .map((p) => p.resource)
        .sort(),
    ).toEqual(
      [
        'bot_users',
        'credentials',
        'endpoints',
        'ip_policies',
        'ip_policy_rules',
        'reserved_addrs',
        'service_users',
        'tunnel_sessions',
      ].sort(),
    );
  });

  it('estimatePages', () => {
    expect([undefined, 0, -3, Number.NaN, 1, 100, 101, 10_000].map(estimatePages)).toEqual([
      1, 1, 1, 1, 1, 1, 2, 100,
    ]);
  });

  it('a cancelled sync rejects with the abort reason', async () => {
    const s = await fakeApi({ endpoints: 50, reserved_addrs: 0, tunnel_sessions: 0, credentials: 0 });
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(
      fetchAccount(createNgrokClient({ apiUrl: s.url, apiKey: 'k_test_key' }), { signal: ac.signal }),
    ).rejects.toThrow('stop');
  });
});
