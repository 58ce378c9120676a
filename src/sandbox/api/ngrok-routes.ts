// The ngrok REST calls SiteHop makes: GET /{collection} (paged, filterable) and GET /{collection}/{id}.
import type { SandboxStore } from '../state/store';
import { COLLECTIONS, type AnyItem, type CollectionName } from '../state/types';
import { ApiError, Errors } from './errors';
import { compileFilter, FilterSyntaxError } from './filter/compile';
import { FILTER_FIELDS } from './filter/fields';
import { present } from './present';

export const MAX_LIMIT = 100;

export interface JsonResponse {
  status: number;
  body: unknown;
}

function isCollection(name: string): name is CollectionName {
  return (COLLECTIONS as readonly string[]).includes(name);
}

function readQuery(
  collection: CollectionName,
  params: URLSearchParams,
): { beforeId?: string; limit: number; filter?: string } {
  const allowed = new Set(['before_id', 'limit', ...(FILTER_FIELDS[collection] ? ['filter'] : [])]);
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!allowed.has(key)) throw Errors.unknownQuery(key);
    if (seen.has(key)) throw Errors.repeatedQuery(key);
    seen.add(key);
  }
  const rawLimit = params.get('limit');
  let limit = MAX_LIMIT;
  if (rawLimit !== null) {
    if (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_LIMIT)
      throw Errors.badLimit(rawLimit);
    limit = Number(rawLimit);
  }
  const beforeId = params.get('before_id');
  if (beforeId === '') throw Errors.badQuery('before_id must not be empty');
  const filter = params.get('filter');
  return { ...(beforeId !== null ? { beforeId } : {}), limit, ...(filter !== null ? { filter } : {}) };
}

function listPage(
  store: SandboxStore,
  collection: CollectionName,
  params: URLSearchParams,
  base: string,
  now: () => number,
): JsonResponse {
  const q = readQuery(collection, params);
  let predicate: ((item: AnyItem) => boolean) | undefined;
  if (q.filter !== undefined) {
    try {
      predicate = compileFilter(collection, q.filter, now);
    } catch (err) {
      if (err instanceof FilterSyntaxError) throw Errors.badFilter(err.message);
      throw err;
    }
  }
  const page = store.page(collection, {
    ...(q.beforeId !== undefined ? { beforeId: q.beforeId } : {}),
    limit: q.limit,
    ...(predicate ? { predicate } : {}),
  });
  if (!page.ok) throw Errors.badQuery(page.reason);
  let next: string | null = null;
  const last = page.items.at(-1);
  if (page.more && last) {
    const nextParams = new URLSearchParams({ before_id: last.id!, limit: String(q.limit) });
    if (q.filter !== undefined) nextParams.set('filter', q.filter);
    next = `${base}/${collection}?${nextParams.toString()}`;
  }
  return {
    status: 200,
    body: {
      [collection]: page.items.map((item) => present(collection, item, base)),
      uri: `${base}/${collection}`,
      next_page_uri: next,
    },
  };
}

/** Routes one authenticated, versioned request; throws ApiError for every error response. */
export function routeNgrok(
  store: SandboxStore,
  method: string,
  url: URL,
  base: string,
  now: () => number = Date.now,
): JsonResponse {
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const [name, id, ...rest] = parts;
  if (name === undefined || !isCollection(name) || rest.length > 0) throw Errors.notFound();
  if (method !== 'GET') throw Errors.methodNotAllowed(method, url.pathname);
  if (id === undefined) return listPage(store, name, url.searchParams, base, now);
  const item = store.get(name, decodeURIComponent(id));
  if (!item) throw Errors.notFound();
  return { status: 200, body: present(name, item, base) };
}

export { ApiError };
