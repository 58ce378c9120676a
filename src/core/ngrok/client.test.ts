// The client against a real loopback HTTP server: one test per fault the API or the network can produce.
import { afterEach, describe, expect, it } from 'vitest';
import { createNgrokClient } from './client';
import type { NgrokClientOptions } from './client';
import { NgrokApiError } from './errors';
import { RequestPacer } from './pacer';
import { fakeClock } from './testing/fake-clock';
import type { Handler, LoopbackServer } from './testing/loopback-server';
import { sendJson, sendNgrokError, sendTruncated, startLoopback } from './testing/loopback-server';

const KEY = '2xYzSecretApiKey_abcdefghijklmnop';
const servers: LoopbackServer[] = [];

async function serve(handler: Handler): Promise<LoopbackServer> {
  const s = await startLoopback(handler);
  servers.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A client whose waits (backoff, pacing) advance a fake clock instead of real time. */
function client(apiUrl: string, extra: Partial<NgrokClientOptions> = {}) {
  const clock = fakeClock();
  const pacer = new RequestPacer({ now: clock.now, sleep: clock.sleep });
  const c = createNgrokClient({
    apiUrl,
    apiKey: KEY,
    pacer,
    sleep: clock.sleep,
    random: () => 0.5,
    maxRetries: 3,
    ...extra,
  });
  return { c, clock, pacer };
}

async function failure(p: Promise<unknown>): Promise<NgrokApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NgrokApiError);
  const e = err as NgrokApiError;
  expect(e.message).not.toContain(KEY);
  expect(JSON.stringify({ ...e, message: e.message })).not.toContain(KEY);
  return e;
}

const ok = (res: Parameters<Handler>[1], items: unknown[] = [{ id: 'ep_1' }]) =>
  sendJson(res, 200, { endpoints: items, uri: '/endpoints', next_page_uri: null });

describe('requests', () => {
  it('sends Bearer auth, Ngrok-Version 2, limit=100 and an encoded filter', async () => {
    const s = await serve((_req, res) => ok(res));
    const items = await client(s.url).c.listAll('endpoints', { filter: 'obj.type == "cloud"' });
    expect(items).toEqual([{ id: 'ep_1' }]);
    const [req] = s.seen;
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.headers['ngrok-version']).toBe('2');
    const url = new URL(req?.url ?? '', s.url);
    expect(url.pathname).toBe('/endpoints');
    expect(url.searchParams.get('limit')).toBe('100');
    expect(url.searchParams.get('filter')).toBe('obj.type == "cloud"');
  });

  it('reads /service_users (missing from the OpenAPI snapshot) and keeps a path prefix of the API URL', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 200, { service_users: [{ id: 'svc_1', name: 'clinic1' }], next_page_uri: null }),
    );
    const items = await client(`${s.url}/api/`).c.listAll('service_users');
    expect(items).toEqual([{ id: 'svc_1', name: 'clinic1' }]);
    expect(s.seen[0]?.url).toBe('/api/service_users?limit=100');
  });

  it('treats an omitted list key as an empty page (ngrok leaves out empty fields)', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, { uri: '/credentials' }));
    await expect(client(s.url).c.listAll('credentials')).resolves.toEqual([]);
  });

  it('verifyKey makes one cheap call: GET /endpoints?limit=1', async () => {
    const s = await serve((_req, res) => ok(res));
    const { c } = client(s.url);
    await c.verifyKey();
    expect(s.seen.map((r) => r.url)).toEqual(['/endpoints?limit=1']);
    expect(c.requestsMade).toBe(1);
  });
});

describe('paging', () => {
  it('follows next_page_uri exactly as given over several pages, in order', async () => {
    const pages: Record<string, unknown> = {};
    const s = await serve((req, res) => {
      const page = pages[req.url ?? ''];
      if (page) sendJson(res, 200, page);
      else sendNgrokError(res, 400, 'ERR_NGROK_231', 'unknown query');
    });
    const base = s.url;
    // Opaque cursors the client could not have built itself: only following the link reaches them.
    pages['/reserved_addrs?limit=100'] = {
      reserved_addrs: [{ id: 'ra_3' }, { id: 'ra_2' }],
      next_page_uri: `${base}/reserved_addrs?cursor=zz%2F1&limit=100`,
    };
    pages['/reserved_addrs?cursor=zz%2F1&limit=100'] = {
      reserved_addrs: [{ id: 'ra_1' }],
      next_page_uri: `${base}/reserved_addrs?cursor=q9&limit=100`,
    };
    pages['/reserved_addrs?cursor=q9&limit=100'] = { reserved_addrs: [{ id: 'ra_0' }], next_page_uri: null };
    const progress: unknown[] = [];
    const { c } = client(s.url);
    const items = await c.listAll('reserved_addrs', { onPage: (p) => progress.push(p) });
    expect(items.map((i) => i.id)).toEqual(['ra_3', 'ra_2', 'ra_1', 'ra_0']);
    expect(s.seen.map((r) => r.url)).toEqual(Object.keys(pages));
    expect(
      s.seen.every((r) => r.headers.authorization === `Bearer ${KEY}` && r.headers['ngrok-version'] === '2'),
    ).toBe(true);
    expect(progress).toEqual([
      { pagesDone: 1, items: 2, hasMore: true },
      { pagesDone: 2, items: 3, hasMore: true },
      { pagesDone: 3, items: 4, hasMore: false },
    ]);
    expect(c.requestsMade).toBe(3);
  });

  it('refuses a next page on another server, so the key is never sent there', async () => {
    const other = await serve((_req, res) => ok(res));
    const s = await serve((_req, res) =>
      sendJson(res, 200, { endpoints: [], next_page_uri: `${other.url}/endpoints?page=2` }),
    );
    const e = await failure(client(s.url).c.listAll('endpoints'));
    expect(e.kind).toBe('bad_response');
    expect(other.seen).toHaveLength(0);
  });

  it('stops a server that pages in a loop', async () => {
    let base = '';
    const s = await serve((_req, res) =>
      sendJson(res, 200, { endpoints: [{ id: 'x' }], next_page_uri: `${base}/endpoints?again=1` }),
    );
    base = s.url;
    const e = await failure(client(s.url).c.listAll('endpoints'));
    expect(e.kind).toBe('bad_response');
    expect(s.seen).toHaveLength(2);
  });
});

describe('auth and permission failures', () => {
  const wrongKey = /did not accept this API key/;
  it.each([
    ['ERR_NGROK_201', wrongKey],
    ['ERR_NGROK_202', wrongKey],
    ['ERR_NGROK_203', wrongKey],
    ['ERR_NGROK_206', /agent authtoken, not an API key/],
    ['ERR_NGROK_207', /agent authtoken, not an API key/],
    ['ERR_NGROK_208', /ID of an API key/],
  ])('401 %s → auth with its own message', async (code, message) => {
    const s = await serve((_req, res) => sendNgrokError(res, 401, code, `the credential ${KEY} is invalid`));
    const e = await failure(client(s.url).c.verifyKey());
    expect(e).toMatchObject({
      kind: 'auth',
      code: 'unauthorized',
      status: 401,
      ngrokCode: code,
      operationId: 'op_test123',
    });
    expect(e.message).toMatch(message);
    expect(s.seen).toHaveLength(1);
  });

  it('401 without a body is still an auth error', async () => {
    const s = await serve((_req, res) => res.writeHead(401).end());
    const e = await failure(client(s.url).c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'auth', code: 'unauthorized', status: 401, ngrokCode: null });
    expect(e.message).toMatch(/^ngrok did not accept this API key\./);
  });

  it.each([
    ['ERR_NGROK_204', /not allowed to use the ngrok API/],
    ['ERR_NGROK_205', /suspended/],
    ['ERR_NGROK_247', /non-payment/],
    ['ERR_NGROK_220', /allowed IP addresses/],
  ])('403 %s → forbidden with its own message', async (code, message) => {
    const s = await serve((_req, res) => sendNgrokError(res, 403, code));
    const e = await failure(client(s.url).c.listAll('tunnel_sessions'));
    expect(e).toMatchObject({ kind: 'forbidden', code: 'forbidden', status: 403, ngrokCode: code });
    expect(e.message).toMatch(message);
  });

  it('a plain 403 is forbidden', async () => {
    const s = await serve((_req, res) => sendJson(res, 403, {}));
    const e = await failure(client(s.url).c.listAll('credentials'));
    expect(e).toMatchObject({ kind: 'forbidden', code: 'forbidden' });
    expect(e.message).toMatch(/authtokens/);
  });

  it('404 → not_found, not retried', async () => {
    const s = await serve((_req, res) => sendNgrokError(res, 404, 'ERR_NGROK_404'));
    const e = await failure(client(s.url).c.listAll('service_users'));
    expect(e).toMatchObject({ kind: 'not_found', code: 'not_found', status: 404 });
    expect(e.message).toMatch(/has no service users here \(HTTP 404, ERR_NGROK_404\)\. Check the API URL/);
    expect(s.seen).toHaveLength(1);
  });

  it('another 4xx (e.g. a bad filter) is not retried', async () => {
    const s = await serve((_req, res) => sendNgrokError(res, 400, 'ERR_NGROK_250'));
    const e = await failure(client(s.url).c.listAll('endpoints', { filter: 'obj.(' }));
    expect(e).toMatchObject({ kind: 'bad_response', status: 400, ngrokCode: 'ERR_NGROK_250' });
    expect(e.message).toMatch(/rejected SiteHop's request for endpoints \(HTTP 400, ERR_NGROK_250\)/);
    expect(s.seen).toHaveLength(1);
  });

  it('checks the key and URL before sending anything', async () => {
    const s = await serve((_req, res) => ok(res));
    const withNewline = await failure(
      createNgrokClient({ apiUrl: s.url, apiKey: `${KEY}\nX-Evil: 1` }).listAll('endpoints'),
    );
    expect(withNewline.kind).toBe('auth');
    const empty = await failure(createNgrokClient({ apiUrl: s.url, apiKey: '  ' }).verifyKey());
    expect(empty.kind).toBe('auth');
    const plainHttp = await failure(
      createNgrokClient({ apiUrl: 'http://api.example.com', apiKey: KEY }).verifyKey(),
    );
    expect(plainHttp.message).toMatch(/https/);
    const garbage = await failure(createNgrokClient({ apiUrl: `not a url ${KEY}`, apiKey: KEY }).verifyKey());
    expect(garbage.kind).toBe('network');
    expect(s.seen).toHaveLength(0);
  });
});

describe('rate limit', () => {
  it('429 then success: waits for the window to roll, then retries', async () => {
    const s = await serve((_req, res, i) => (i === 0 ? sendNgrokError(res, 429, 'ERR_NGROK_226') : ok(res)));
    const { c, clock } = client(s.url);
    const start = clock.now();
    await expect(c.listAll('endpoints')).resolves.toHaveLength(1);
    expect(clock.now() - start).toBeGreaterThanOrEqual(60_000);
    expect(c.requestsMade).toBe(2);
  });

  it('429 forever: gives up after the retries with a rate_limited error', async () => {
    const s = await serve((_req, res) => sendNgrokError(res, 429, 'ERR_NGROK_226'));
    const e = await failure(client(s.url, { maxRetries: 2 }).c.listAll('endpoints'));
    expect(e).toMatchObject({
      kind: 'rate_limited',
      code: 'rate_limited',
      status: 429,
      ngrokCode: 'ERR_NGROK_226',
    });
    expect(e.message).toMatch(/120 requests per minute/);
    expect(s.seen).toHaveLength(3);
  });

  it("honours the server's Retry-After: every request on the shared pacer waits that long, then one retry", async () => {
    const s = await serve((_req, res, i) => {
      if (i === 0) {
        res.setHeader('Retry-After', '17');
        return sendNgrokError(res, 429, 'ERR_NGROK_226');
      }
      return ok(res);
    });
    const { c, clock, pacer } = client(s.url);
    const start = clock.now();
    await expect(c.listAll('endpoints')).resolves.toHaveLength(1);
    expect(clock.now() - start).toBeGreaterThanOrEqual(17_000);
    expect(clock.now() - start).toBeLessThan(60_000);
    expect(c.requestsMade).toBe(2);
    expect(pacer.blockedForMs()).toBe(0);
  });

  it('rateLimitRetries 0: a 429 fails at once with the wait to honour (one window without Retry-After)', async () => {
    const s = await serve((_req, res) => sendNgrokError(res, 429, 'ERR_NGROK_226'));
    const { c, pacer } = client(s.url, { rateLimitRetries: 0 });
    const e = await failure(c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
    expect(s.seen).toHaveLength(1);
    // The account stays held back for the wait: the next caller on this pacer does not send before it.
    expect(pacer.blockedForMs()).toBe(60_000);
  });
});

describe('server and network failures', () => {
  it.each([500, 502, 503])('%i then success: retried with backoff', async (status) => {
    const s = await serve((_req, res, i) => (i < 2 ? sendJson(res, status, { msg: 'oops' }) : ok(res)));
    const { c, clock } = client(s.url);
    await expect(c.listAll('endpoints')).resolves.toHaveLength(1);
    expect(s.seen).toHaveLength(3);
    // Exponential: the second wait is longer than the first.
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0] as number);
  });

  it('503 forever: gives up after maxRetries with a server error', async () => {
    const s = await serve((_req, res) => sendNgrokError(res, 503, 'ERR_NGROK_500'));
    const { c, clock } = client(s.url, { maxRetries: 4, random: () => 1 });
    const e = await failure(c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'server', code: 'unavailable', status: 503 });
    expect(e.message).toMatch(/5 tries/);
    expect(s.seen).toHaveLength(5);
    expect(clock.sleeps.every((ms) => ms > 0 && ms <= 10_000)).toBe(true);
  });

  it('a hang: times out, retries, then reports a timeout', async () => {
    const s = await serve(() => undefined);
    const e = await failure(client(s.url, { timeoutMs: 150, maxRetries: 1 }).c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'timeout', code: 'unavailable', status: null });
    expect(e.message).toMatch(/did not answer/);
    expect(s.seen).toHaveLength(2);
  });

  it('a body cut off mid-way: reported as cut off after the retries', async () => {
    const s = await serve((_req, res) => sendTruncated(res));
    const e = await failure(client(s.url, { maxRetries: 1 }).c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'bad_response', code: 'unavailable' });
    expect(e.message).toMatch(/cut off/);
    expect(s.seen).toHaveLength(2);
  });

  it('a body cut off once, then whole: succeeds', async () => {
    const s = await serve((_req, res, i) => (i === 0 ? sendTruncated(res) : ok(res)));
    await expect(client(s.url).c.listAll('endpoints')).resolves.toHaveLength(1);
  });

  it('complete but invalid JSON that starts like JSON counts as cut off', async () => {
    const s = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"endpoints":[{"id":'),
    );
    const e = await failure(client(s.url, { maxRetries: 0 }).c.listAll('endpoints'));
    expect(e.message).toMatch(/cut off/);
  });

  it('a non-JSON answer (a proxy login page): not the API, not retried', async () => {
    const s = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in to Wi-Fi</html>'),
    );
    const e = await failure(client(s.url).c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'bad_response', status: 200 });
    expect(e.message).toMatch(/not JSON.*text\/html|text\/html.*not JSON/);
    expect(s.seen).toHaveLength(1);
  });

  it('JSON of the wrong shape is a bad response', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, { endpoints: 'nope' }));
    const e = await failure(client(s.url).c.listAll('endpoints'));
    expect(e.kind).toBe('bad_response');
    expect(e.message).toMatch(/answered the request for endpoints in an unexpected shape/);
  });

  it('a redirect is not followed', async () => {
    const other = await serve((_req, res) => ok(res));
    const s = await serve((_req, res) => res.writeHead(302, { location: `${other.url}/endpoints` }).end());
    const e = await failure(client(s.url).c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'bad_response', status: 302 });
    expect(e.message).toMatch(/\(HTTP 302\)/);
    expect(other.seen).toHaveLength(0);
  });

  it('connection refused (network down): retried, then a network error that says so', async () => {
    const s = await startLoopback(() => undefined);
    const deadUrl = s.url;
    await s.close();
    const { c, clock } = client(deadUrl, { maxRetries: 2 });
    const e = await failure(c.listAll('endpoints'));
    expect(e).toMatchObject({ kind: 'network', code: 'unavailable', status: null });
    expect(e.message).toMatch(/refused/);
    expect(c.requestsMade).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('DNS failure gets its own message', async () => {
    const dnsFail: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.ngrok.com'), { code: 'ENOTFOUND' }),
        }),
      );
    const e = await failure(
      client('https://api.ngrok.com', { fetch: dnsFail, maxRetries: 0 }).c.listAll('endpoints'),
    );
    expect(e).toMatchObject({ kind: 'network' });
    expect(e.message).toMatch(/DNS/);
  });

  it('a cancelled listing rejects with the abort reason and stops', async () => {
    const s = await serve(() => undefined);
    const ac = new AbortController();
    const p = client(s.url).c.listAll('endpoints', { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('user cancelled')), 20);
    await expect(p).rejects.toThrow('user cancelled');
  });
});
