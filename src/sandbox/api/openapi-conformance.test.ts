// Every kind of response the sandbox's ngrok API sends, validated against the schemas of the official OpenAPI
// document (vendor/ngrok-openapi/ngrok.yaml), made strict (no field the document does not know). Where the
// document lags the docs the test says so and adds the documented part by hand:
//  - `next_page_uri` is typed string, but described (and documented) as "or null" on the last page;
//  - there is no /service_users path: ServiceUserList is BotUserList with the list key `service_users`;
//  - there is no `filter` parameter and no error schema: errors are checked against the documented body;
//  - timestamps are plain strings; the docs say RFC 3339, so they are checked as date-time.
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../index';
import { apiGet } from '../test-helpers';
import { COLLECTIONS, type CollectionName } from '../state/types';

type Schema = Record<string, unknown>;
interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ $ref?: string; name?: string }>;
        responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }>;
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

const doc = parseYaml(readFileSync('vendor/ngrok-openapi/ngrok.yaml', 'utf8')) as OpenApiDoc;
const ROOT = 'https://sitehop.invalid/ngrok-openapi.json';
const TIMESTAMPS = new Set(['created_at', 'updated_at', 'started_at']);

function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === 'properties'
        ? Object.fromEntries(
            Object.entries(v as Schema).map(([p, s]) => [p, strict(patchProperty(p, s as Schema))]),
          )
        : strict(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

function patchProperty(name: string, s: Schema): Schema {
  if (name === 'next_page_uri') return { ...s, nullable: true, format: 'uri' };
  if (TIMESTAMPS.has(name) && s.type === 'string') return { ...s, format: 'date-time' };
  if (name === 'uri' && s.type === 'string') return { ...s, format: 'uri' };
  return s;
}

const schemas = strict(doc.components.schemas) as Record<string, Schema>;
schemas.ServiceUserList = {
  ...schemas.BotUserList!,
  properties: { ...(schemas.BotUserList!.properties as Schema) },
};
const sul = schemas.ServiceUserList.properties as Schema;
sul.service_users = sul.bot_users;
delete sul.bot_users;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: ROOT, components: { schemas } });

const ERROR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['status_code', 'msg', 'details'],
  properties: {
    error_code: { type: 'string', pattern: '^ERR_NGROK_[0-9]+$' },
    status_code: { type: 'integer' },
    msg: { type: 'string', minLength: 1 },
    details: { type: 'object', required: ['operation_id'], additionalProperties: { type: 'string' } },
  },
};
const validateError = ajv.compile(ERROR_SCHEMA);

function schemaFor(name: string): ValidateFunction {
  const v = ajv.getSchema(`${ROOT}#/components/schemas/${name}`);
  if (!v) throw new Error(`no schema ${name}`);
  return v;
}

/** The schema the document itself names for the 200 response of GET path, or the hand-made stand-in. */
function responseSchema(path: string): ValidateFunction {
  if (path === '/service_users') return schemaFor('ServiceUserList');
  if (path === '/service_users/{id}') return schemaFor('BotUser');
  const ref = doc.paths[path]!.get!.responses['200']!.content['application/json']!.schema.$ref;
  return schemaFor(ref.split('/').at(-1)!);
}

function expectValid(validate: ValidateFunction, body: unknown, what: string): void {
  const ok = validate(body);
  expect(ok, `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

describe('responses match the official OpenAPI document', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    // An ngrok-like edge host gives every shape at once (both agent endpoint kinds, LAN upstreams) with nothing listening.
    sb = await startSandbox({
      generate: { sites: 16, devices: 40, seed: 3, edgeHost: '1.tcp.ngrok.io' },
      edge: false,
      now: () => 0,
      rateLimit: { max: 1000, windowMs: 60_000 },
    });
  });
  afterAll(() => sb.close());

  it('the document still declares what the sandbox serves: the paths, before_id/limit and the version header', () => {
    for (const c of COLLECTIONS.filter((c) => c !== 'service_users')) {
      const get = doc.paths[`/${c}`]!.get!;
      const names = (get.parameters ?? []).map((p) => p.name ?? p.$ref);
      expect(names).toEqual(
        expect.arrayContaining(['#/components/parameters/ngrokVersion', 'before_id', 'limit']),
      );
      expect(doc.paths[`/${c}/{id}`]!.get).toBeDefined();
    }
    expect(doc.paths['/service_users']).toBeUndefined();
  });

  it('the strict schemas bite: an unknown field or a wrong type fails, a null next_page_uri passes', () => {
    const list = responseSchema('/endpoints');
    expect(
      list({ endpoints: [{ id: 'ep_1', bogus: true }], uri: 'http://x/endpoints', next_page_uri: null }),
    ).toBe(false);
    expect(
      list({ endpoints: [{ id: 'ep_1', port: '22' }], uri: 'http://x/endpoints', next_page_uri: null }),
    ).toBe(false);
    expect(
      list({
        endpoints: [{ id: 'ep_1', created_at: 'yesterday' }],
        uri: 'http://x/endpoints',
        next_page_uri: null,
      }),
    ).toBe(false);
    expect(
      list({ endpoints: [{ id: 'ep_1', port: 22 }], uri: 'http://x/endpoints', next_page_uri: null }),
    ).toBe(true);
  });

  it.each(COLLECTIONS)('every page and every object of /%s validates', async (c: CollectionName) => {
    const list = responseSchema(`/${c}`);
    const one = responseSchema(`/${c}/{id}`);
    let url: string | null = `${sb.apiUrl}/${c}?limit=2`;
    const ids: string[] = [];
    let pages = 0;
    while (url) {
      const res = await apiGet(sb.apiUrl, url);
      expect(res.status).toBe(200);
      expectValid(list, res.body, `${c} page ${pages}`);
      ids.push(...(res.body[c] as Array<{ id: string }>).map((o) => o.id));
      url = res.body.next_page_uri as string | null;
      pages++;
    }
    expect(ids.length).toBeGreaterThan(0);
    expect(pages).toBeGreaterThan(1);
    for (const id of ids) {
      const res = await apiGet(sb.apiUrl, `/${c}/${id}`);
      expect(res.status).toBe(200);
      expectValid(one, res.body, `${c}/${id}`);
    }
  });

  it('a filtered list and an empty list validate', async () => {
    const filtered = await apiGet(
      sb.apiUrl,
      `/endpoints?filter=${encodeURIComponent('"internal" in obj.bindings')}`,
    );
    expectValid(responseSchema('/endpoints'), filtered.body, 'filtered');
    const empty = await apiGet(sb.apiUrl, `/endpoints?filter=${encodeURIComponent('obj.id == "ep_none"')}`);
    expect(empty.body.endpoints).toEqual([]);
    expectValid(responseSchema('/endpoints'), empty.body, 'empty');
  });

  it('every kind of error body has the documented shape', async () => {
    const bodies: Array<[number, Record<string, unknown>]> = [];
    const push = (r: { status: number; body: Record<string, unknown> }): void => {
      bodies.push([r.status, r.body]);
    };
    push(await apiGet(sb.apiUrl, '/endpoints', { authorization: undefined }));
    push(await apiGet(sb.apiUrl, '/endpoints', { authorization: 'Token x' }));
    push(await apiGet(sb.apiUrl, '/endpoints', { authorization: 'Bearer wrong-key-123' }));
    push(await apiGet(sb.apiUrl, '/endpoints', { authorization: 'Bearer ak_2ZyH0TKaUBMCzrQgEhUa4vEl6vA' }));
    push(await apiGet(sb.apiUrl, '/endpoints', { 'ngrok-version': undefined }));
    push(await apiGet(sb.apiUrl, '/endpoints', { 'ngrok-version': '3' }));
    push(await apiGet(sb.apiUrl, '/endpoints?limit=500'));
    push(await apiGet(sb.apiUrl, '/endpoints?filter=obj.'));
    push(await apiGet(sb.apiUrl, '/endpoints?page=2'));
    push(await apiGet(sb.apiUrl, '/no_such_thing'));
    push(await apiGet(sb.apiUrl, '/endpoints/ep_0000'));
    const limited = await startSandbox({
      state: {},
      edge: false,
      rateLimit: { max: 1, windowMs: 60_000 },
      now: () => 0,
    });
    try {
      await apiGet(limited.apiUrl, '/endpoints');
      push(await apiGet(limited.apiUrl, '/endpoints'));
    } finally {
      await limited.close();
    }
    expect(bodies.map(([s]) => s)).toEqual([401, 401, 401, 401, 400, 400, 400, 400, 400, 404, 404, 429]);
    for (const [status, body] of bodies) {
      expectValid(validateError, body, `error ${status}`);
      expect(body.status_code).toBe(status);
    }
  });
});
