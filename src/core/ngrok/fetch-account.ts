// Reads everything the directory is derived from: six collections, listed in parallel through one client (whose
// pacer keeps the total under the account's rate limit), with per-collection progress.
import type { ListResource, NgrokClient } from './client';
import { PAGE_LIMIT } from './client';
import { isNgrokApiError } from './errors';
import type { AccountObjects } from './types';

export interface FetchProgress {
  resource: ListResource;
  pagesDone: number;
  pagesEstimated: number;
  done: boolean;
}

export interface FetchAccountOptions {
  onProgress?: (p: FetchProgress) => void;
  /** Item counts from the last sync, to estimate pages before the API says how many there are. */
  previousCounts?: Partial<Record<ListResource, number>>;
  signal?: AbortSignal;
}

/** Collections an account may legitimately lack: older accounts have no /service_users, newer may drop /bot_users. */
const OPTIONAL: ReadonlySet<ListResource> = new Set(['service_users', 'bot_users']);

export function estimatePages(count: number | undefined): number {
  if (count === undefined || !Number.isFinite(count) || count <= 0) return 1;
  return Math.ceil(count / PAGE_LIMIT);
}

export async function fetchAccount(
  client: NgrokClient,
  opts: FetchAccountOptions = {},
): Promise<AccountObjects> {
  // The first failure cancels the other listings so they stop spending the account's requests.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;

  const listOne = async <R extends ListResource>(resource: R) => {
    let estimated = estimatePages(opts.previousCounts?.[resource]);
    opts.onProgress?.({ resource, pagesDone: 0, pagesEstimated: estimated, done: false });
    try {
      const items = await client.listAll(resource, {
        signal,
        onPage: ({ pagesDone, hasMore }) => {
          estimated = hasMore ? Math.max(estimated, pagesDone + 1) : pagesDone;
          opts.onProgress?.({ resource, pagesDone, pagesEstimated: estimated, done: !hasMore });
        },
      });
      return items;
    } catch (err) {
      if (OPTIONAL.has(resource) && isNgrokApiError(err) && err.kind === 'not_found') {
        opts.onProgress?.({ resource, pagesDone: 0, pagesEstimated: 0, done: true });
        return [];
      }
      stop.abort(err);
      throw err;
    }
  };

  // Settle everything before rethrowing, so no listing keeps running behind a failed sync.
  const [endpoints, reserved_addrs, tunnel_sessions, credentials, bot_users, service_users] =
    await Promise.allSettled([
      listOne('endpoints'),
      listOne('reserved_addrs'),
      listOne('tunnel_sessions'),
      listOne('credentials'),
      listOne('bot_users'),
      listOne('service_users'),
    ]);
  if (opts.signal?.aborted) throw opts.signal.reason;
  // The first failure is the root cause; the siblings' rejections are the aborts it caused.
  if (stop.signal.aborted) throw stop.signal.reason;
  const value = <T>(r: PromiseSettledResult<T>): T => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  };
  return {
    endpoints: value(endpoints),
    reserved_addrs: value(reserved_addrs),
    tunnel_sessions: value(tunnel_sessions),
    credentials: value(credentials),
    bot_users: value(bot_users),
    service_users: value(service_users),
  };
}
