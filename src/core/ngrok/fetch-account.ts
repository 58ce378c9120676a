// Reads everything the directory is derived from: every account collection (types.ts ACCOUNT_COLLECTIONS), listed in parallel through one client (whose
// pacer keeps the total under the account's rate limit), with per-collection progress.
import type { ListResource, NgrokClient } from './client';
import { LIST_RESOURCES, PAGE_LIMIT } from './client';
import { isNgrokApiError } from './errors';
import { allOrStop } from './all-or-stop';
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
  /** What to keep of each page's items (ListOptions.keep), per collection. */
  keep?: (resource: ListResource, items: unknown[]) => unknown[];
}

/**
 * Collections an account may legitimately lack: older accounts have no /service_users, newer may drop /bot_users,
 * and an account without the IP policy feature may answer 404 for /ip_policies and /ip_policy_rules.
 */
const OPTIONAL: ReadonlySet<ListResource> = new Set([
  'service_users',
  'bot_users',
  'ip_policies',
  'ip_policy_rules',
]);

export function estimatePages(count: number | undefined): number {
  if (count === undefined || !Number.isFinite(count) || count <= 0) return 1;
  return Math.ceil(count / PAGE_LIMIT);
}

export async function fetchAccount(
  client: NgrokClient,
  opts: FetchAccountOptions = {},
): Promise<AccountObjects> {
  const listOne = async <R extends ListResource>(resource: R, signal: AbortSignal) => {
    let estimated = estimatePages(opts.previousCounts?.[resource]);
    opts.onProgress?.({ resource, pagesDone: 0, pagesEstimated: estimated, done: false });
    try {
      const keep = opts.keep;
      const items = await client.listAll(resource, {
        signal,
        ...(keep ? { keep: (page: unknown[]) => keep(resource, page) } : {}),
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
      throw err;
    }
  };

  // The first failure stops the other listings; all settle before it is rethrown (all-or-stop.ts).
  const lists: unknown[][] = await allOrStop(
    LIST_RESOURCES.map((resource) => (signal: AbortSignal) => listOne(resource, signal)),
    opts.signal,
  );
  const out: Record<string, unknown[]> = {};
  LIST_RESOURCES.forEach((resource, i) => {
    out[resource] = lists[i] as unknown[];
  });
  return out as unknown as AccountObjects;
}
