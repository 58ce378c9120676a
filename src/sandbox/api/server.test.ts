// The REST API over real HTTP on 127.0.0.1: paging, rate limit, auth and header errors, query and filter errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../index';
import { apiGet, cloudEndpoints } from '../test-helpers';

describe('sandbox REST API paging and errors', () => {
  let sb: RunningSandbox;
  const eps = cloudEndpoints(350);
  beforeAll(async () => {
    sb = await startSandbox({
      state: { endpoints: eps, credentials: [{ id: 'cr_1', token: 'agent-authtoken-of-clinic1' }] },
      rateLimit: false,
      edge: false,
    });
  });
  afterAll(() => sb.close());

  it('pages through 350 endpoints with limit=100: each exactly once, newest first, next_page_uri null at the end', async () => {
    const seen: string[] = [];
    const created: string[] = [];
    let url: string | null = `${sb.apiUrl}/endpoints?limit=100`;
    let pages = 0;
    while (url) {
      const { status, body } = await apiGet(sb.apiUrl, url);
      expect(status).toBe(200);
      expect(body.uri).toBe(`${sb.apiUrl}/endpoints`);
      const items = body.endpoints as Array<{ id: string; created_at: string }>;
      seen.push(...items.map((e) => e.id));
      created.push(...items.map((e) => e.created_at));
      url = body.next_page_uri as string | null;
      if (url !== null) expect(url.startsWith(`${sb.apiUrl}/endpoints?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(350);
    expect(new Set(seen).size).toBe(350);
    expect(seen).toEqual(eps.map((e) => e.id).reverse());
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('defaults limit to 100 and rejects limits out of range', async () => {
    const first = await apiGet(sb.apiUrl, '/endpoints');
    expect((first.body.endpoints as unknown[]).length).toBe(100);
    for (const bad of ['0', '101', '-1', 'ten', '1.5']) {
      const res = await apiGet(sb.apiUrl, `/endpoints?limit=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('ERR_NGROK_233');
    }
  });

  it('keeps the filter in next_page_uri', async () => {
    const filter = encodeURIComponent('obj.type == "cloud"');
    const res = await apiGet(sb.apiUrl, `/endpoints?limit=2&filter=${filter}`);
    const next = new URL(res.body.next_page_uri as string);
    expect(next.searchParams.get('filter')).toBe('obj.type == "cloud"');
    expect(next.searchParams.get('limit')).toBe('2');
  });

  it('answers an invalid filter with a 400 error body, not a crash', async () => {
    for (const f of [
      'obj.type ==',
      'obj.nope == "x"',
      'size(obj.bindings) > 0',
      'obj.type + "x"',
      'obj.port == 3',
      '"x"',
    ]) {
      const res = await apiGet(sb.apiUrl, `/endpoints?filter=${encodeURIComponent(f)}`);
      expect(res.status, f).toBe(400);
      expect(res.body.error_code).toBe('ERR_NGROK_250');
      expect(typeof res.body.msg).toBe('string');
    }
    const ok = await apiGet(sb.apiUrl, '/endpoints?limit=1');
    expect(ok.status).toBe(200);
  });

  it('rejects unknown and repeated query parameters (e.g. a camelCase beforeId)', async () => {
    expect((await apiGet(sb.apiUrl, '/endpoints?beforeId=ep_x')).body.error_code).toBe('ERR_NGROK_231');
    expect((await apiGet(sb.apiUrl, '/endpoints?limit=1&limit=2')).body.error_code).toBe('ERR_NGROK_232');
    expect((await apiGet(sb.apiUrl, '/bot_users?filter=obj.id%20==%20%22x%22')).status).toBe(400);
  });

  it('returns ngrok error bodies for auth problems', async () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'ERR_NGROK_200'],
      ['Basic abc', 'ERR_NGROK_201'],
      ['Bearer not-the-key-at-all', 'ERR_NGROK_203'],
      ['Bearer ak_2ZyH0TKaUBMCzrQgEhUa4vEl6vA', 'ERR_NGROK_208'],
      ['Bearer agent-authtoken-of-clinic1', 'ERR_NGROK_206'],
      ['Bearer a"b', 'ERR_NGROK_202'],
    ];
    for (const [authorization, code] of cases) {
      const res = await apiGet(sb.apiUrl, '/endpoints', { authorization });
      expect(res.status, code).toBe(401);
      expect(res.body).toMatchObject({ error_code: code, status_code: 401 });
      expect(typeof res.body.msg).toBe('string');
      expect((res.body.details as { operation_id: string }).operation_id).toMatch(/^op_/);
    }
  });

  it('requires Ngrok-Version: 2', async () => {
    const missing = await apiGet(sb.apiUrl, '/endpoints', { 'ngrok-version': undefined });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error_code: 'ERR_NGROK_218', status_code: 400 });
    const wrong = await apiGet(sb.apiUrl, '/endpoints', { 'ngrok-version': '1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error_code: 'ERR_NGROK_217', status_code: 400 });
  });

  it('answers unknown paths and ids with 404, unsupported methods with 405, and never leaks a token', async () => {
    expect((await apiGet(sb.apiUrl, '/nope')).status).toBe(404);
    expect((await apiGet(sb.apiUrl, '/endpoints/ep_missing')).status).toBe(404);
    expect((await apiGet(sb.apiUrl, '/endpoints/a/b')).status).toBe(404);
    const one = await apiGet(sb.apiUrl, `/endpoints/${eps[7]!.id}`);
    expect(one.body).toMatchObject({ id: eps[7]!.id, uri: `${sb.apiUrl}/endpoints/${eps[7]!.id}` });
    const cred = await apiGet(sb.apiUrl, '/credentials/cr_1');
    expect(cred.status).toBe(200);
    expect(cred.body.token).toBeUndefined();
    const post = await fetch(`${sb.apiUrl}/endpoints`, {
      method: 'POST',
      headers: { authorization: 'Bearer sitehop-demo-key', 'ngrok-version': '2' },
    });
    expect(post.status).toBe(405);
  });
});

describe('sandbox REST API rate limit', () => {
  it('gives the 121st request within 60 s a 429 ERR_NGROK_226, and serves again once the window rolls', async () => {
    let clock = 1_000_000;
    const sb = await startSandbox({ state: { endpoints: cloudEndpoints(3) }, now: () => clock, edge: false });
    try {
      for (let i = 0; i < 120; i++) {
        clock += 400; // 120 requests spread over 48 s
        expect((await apiGet(sb.apiUrl, '/endpoints?limit=1')).status).toBe(200);
      }
      clock += 1_000;
      const over = await apiGet(sb.apiUrl, '/endpoints?limit=1');
      expect(over.status).toBe(429);
      expect(over.body).toMatchObject({ error_code: 'ERR_NGROK_226', status_code: 429 });
      // Unauthenticated requests are not the account's and are not counted against it.
      expect((await apiGet(sb.apiUrl, '/endpoints', { authorization: undefined })).status).toBe(401);
      // 60 s after the first request, one slot frees up.
      clock = 1_000_000 + 400 + 60_000;
      expect((await apiGet(sb.apiUrl, '/endpoints?limit=1')).status).toBe(200);
      expect((await apiGet(sb.apiUrl, '/endpoints?limit=1')).status).toBe(429);
    } finally {
      await sb.close();
    }
  });

  it('takes a configurable limit, and the admin API can reset it', async () => {
    const sb = await startSandbox({
      state: {},
      rateLimit: { max: 2, windowMs: 1_000 },
      now: () => 5,
      edge: false,
    });
    try {
      expect((await apiGet(sb.apiUrl, '/endpoints')).status).toBe(200);
      expect((await apiGet(sb.apiUrl, '/endpoints')).status).toBe(200);
      expect((await apiGet(sb.apiUrl, '/endpoints')).status).toBe(429);
      const reset = await fetch(`${sb.adminUrl}/rate-limit/reset`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sb.apiKey}` },
      });
      expect(reset.status).toBe(204);
      expect((await apiGet(sb.apiUrl, '/endpoints')).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});
