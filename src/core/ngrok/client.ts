// The typed ngrok API client SiteHop reads an account with: list operations only, typed from the OpenAPI document
// through openapi-fetch, paged by following `next_page_uri` exactly as the API gives it (docs/ngrok-api.md §7.8).
import createClient from 'openapi-fetch';
import type { ItemOf, ListPaths, ListResource, PageOf } from './api-paths';
import { NgrokApiError, redactKey, shapeError } from './errors';
import { RequestPacer, realSleep } from './pacer';
import { NgrokTransport } from './transport';

export type { ItemOf, ListResource } from './api-paths';
export { LIST_RESOURCES } from './api-paths';

export interface NgrokClientOptions {
  apiUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  /** Share one pacer between every client of a workspace: the rate limit is per account. */
  pacer?: RequestPacer;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Tries after a 429 (default maxRetries); 0 makes a 429 fail at once with the wait in retryAfterMs. */
  rateLimitRetries?: number;
  /** See TransportOptions.onNoAnswer: a try timed out and another follows. */
  onNoAnswer?: (attempt: number) => void;
  /** See TransportOptions.onRateLimited: a 429 holds the account's requests for waitMs, then a try follows. */
  onRateLimited?: (waitMs: number) => void;
}

export interface PageProgress {
  pagesDone: number;
  items: number;
  hasMore: boolean;
}

export interface ListOptions {
  /** A CEL filter (docs/ngrok-api.md §3). ngrok ignores it on bot users. */
  filter?: string;
  onPage?: (p: PageProgress) => void;
  signal?: AbortSignal;
  /** What the caller keeps of each page's items, applied as the page arrives rather than to the whole list after. */
  keep?: (items: unknown[]) => unknown[];
}

export interface NgrokClient {
  listAll<R extends ListResource>(resource: R, opts?: ListOptions): Promise<ItemOf<R>[]>;
  /** One cheap authenticated call; resolves when the key works, throws NgrokApiError otherwise. */
  verifyKey(): Promise<void>;
  /** HTTP requests sent so far, retries included. */
  readonly requestsMade: number;
}

export const PAGE_LIMIT = 100;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RETRIES = 3;
/** 10,000 pages = 1,000,000 objects: far past any account, low enough to stop a server that pages forever. */
const MAX_PAGES = 10_000;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Checks the URL and key before anything is sent; returns the problem, or the parsed base URL. */
function checkConfig(apiUrl: string, apiKey: string): URL | NgrokApiError {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return new NgrokApiError({
      kind: 'network',
      message: `The API URL "${redactKey(apiUrl, apiKey).slice(0, 200)}" is not a valid web address.`,
    });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname)))
    return new NgrokApiError({
      kind: 'network',
      message: `The API URL must start with https:// (plain http is allowed only for this computer, such as the sandbox), so the API key is never sent in the clear.`,
    });
  if (url.username || url.password)
    return new NgrokApiError({
      kind: 'network',
      message: 'The API URL must not contain a user name or password.',
    });
  const key = apiKey.trim();
  if (key === '')
    return new NgrokApiError({
      kind: 'auth',
      message: 'No API key is set for this workspace. Add it again with its API key.',
    });
  // Checked here because fetch would reject the header with an error that quotes it, key included.
  if (!/^[\x21-\x7e]+$/.test(key))
    return new NgrokApiError({
      kind: 'auth',
      message:
        'The API key contains spaces or characters that are not part of an ngrok API key. Copy it again from the ngrok dashboard.',
    });
  return url;
}

/** `base` + `/resource`, keeping any path prefix of the API URL (the sandbox may live under one). */
function resourceBase(base: URL): string {
  return base.href.replace(/\/+$/, '');
}

export function createNgrokClient(opts: NgrokClientOptions): NgrokClient {
  const checked = checkConfig(opts.apiUrl, opts.apiKey);
  const sleep = opts.sleep ?? realSleep;
  const pacer = opts.pacer ?? new RequestPacer({ sleep });
  const transport = new NgrokTransport({
    apiKey: opts.apiKey.trim(),
    fetch: opts.fetch ?? globalThis.fetch,
    timeoutMs: Math.max(1, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxRetries: Math.max(0, Math.floor(opts.maxRetries ?? DEFAULT_MAX_RETRIES)),
    pacer,
    sleep,
    random: opts.random ?? Math.random,
    ...(opts.rateLimitRetries !== undefined ? { rateLimitRetries: opts.rateLimitRetries } : {}),
    ...(opts.onNoAnswer ? { onNoAnswer: opts.onNoAnswer } : {}),
    ...(opts.onRateLimited ? { onRateLimited: opts.onRateLimited } : {}),
  });
  const api = createClient<ListPaths>({
    baseUrl: checked instanceof URL ? resourceBase(checked) : 'http://invalid.invalid',
    fetch: transport.fetch,
  });

  const base = (): URL => {
    if (checked instanceof NgrokApiError) throw checked;
    return checked;
  };

  type FirstPageInit = {
    params: { query: { limit: string; filter?: string }; header: { 'ngrok-version': number } };
    signal?: AbortSignal;
  };
  // One literal path per resource keeps openapi-fetch's typing exact (a union path would widen the result).
  const firstPage: { [R in ListResource]: (init: FirstPageInit) => Promise<PageOf<R> | undefined> } = {
    endpoints: async (init) => (await api.GET('/endpoints', init)).data,
    reserved_addrs: async (init) => (await api.GET('/reserved_addrs', init)).data,
    tunnel_sessions: async (init) => (await api.GET('/tunnel_sessions', init)).data,
    credentials: async (init) => (await api.GET('/credentials', init)).data,
    bot_users: async (init) => (await api.GET('/bot_users', init)).data,
    service_users: async (init) => (await api.GET('/service_users', init)).data,
    ip_policies: async (init) => (await api.GET('/ip_policies', init)).data,
    ip_policy_rules: async (init) => (await api.GET('/ip_policy_rules', init)).data,
  };

  /** Reads one page defensively: ngrok omits empty fields, and a server may send anything. */
  function readPage<R extends ListResource>(
    resource: R,
    page: unknown,
    host: string,
  ): { items: ItemOf<R>[]; next: string | null } {
    if (typeof page !== 'object' || page === null) throw shapeError(host, resource);
    const list = (page as Record<string, unknown>)[resource];
    const next = (page as Record<string, unknown>).next_page_uri;
    if (list !== undefined && list !== null && !Array.isArray(list)) throw shapeError(host, resource);
    if (next !== undefined && next !== null && typeof next !== 'string') throw shapeError(host, resource);
    const items = (Array.isArray(list) ? list : []).filter(
      (item): item is ItemOf<R> => typeof item === 'object' && item !== null && !Array.isArray(item),
    );
    return { items, next: typeof next === 'string' && next !== '' ? next : null };
  }

  /** The next page as given, but only on the API's own origin: the key must never go to another server. */
  function nextUrl(next: string, apiBase: URL, seen: Set<string>): string {
    let url: URL;
    try {
      url = new URL(next, apiBase);
    } catch {
      throw new NgrokApiError({
        kind: 'bad_response',
        message: `The ngrok API at ${apiBase.host} sent an invalid link to the next page.`,
      });
    }
    if (url.origin !== apiBase.origin)
      throw new NgrokApiError({
        kind: 'bad_response',
        message: `The ngrok API at ${apiBase.host} pointed the next page to another server (${url.host}); SiteHop stopped rather than send the API key there.`,
      });
    if (seen.has(url.href) || seen.size >= MAX_PAGES)
      throw new NgrokApiError({
        kind: 'bad_response',
        message: `The ngrok API at ${apiBase.host} kept paging without end; SiteHop stopped.`,
      });
    seen.add(url.href);
    return url.href;
  }

  return {
    get requestsMade() {
      return transport.requestsMade;
    },

    async listAll<R extends ListResource>(resource: R, lo: ListOptions = {}): Promise<ItemOf<R>[]> {
      const apiBase = base();
      const query: FirstPageInit['params']['query'] = { limit: String(PAGE_LIMIT) };
      if (lo.filter !== undefined) query.filter = lo.filter;
      const init: FirstPageInit = { params: { query, header: { 'ngrok-version': 2 } } };
      if (lo.signal) init.signal = lo.signal;

      const all: ItemOf<R>[] = [];
      const seen = new Set<string>();
      let page: unknown = await firstPage[resource](init);
      for (let pagesDone = 1; ; pagesDone++) {
        const { items, next } = readPage(resource, page, apiBase.host);
        for (const item of lo.keep ? (lo.keep(items) as ItemOf<R>[]) : items) all.push(item);
        lo.onPage?.({ pagesDone, items: all.length, hasMore: next !== null });
        if (next === null) return all;
        page = (await transport.getJson(nextUrl(next, apiBase, seen), lo.signal)).body;
      }
    },

    async verifyKey(): Promise<void> {
      base();
      const page = await firstPage.endpoints({
        params: { query: { limit: '1' }, header: { 'ngrok-version': 2 } },
      });
      readPage('endpoints', page, base().host);
    },
  };
}
