// Where a sync gets its sites from: the ngrok API through the client (paced per workspace), then the resolver.
// Injected into the directory service so its cache and state logic is testable on its own.
import type { Site } from '../../shared/directory-types';
import { createNgrokClient } from '../ngrok/client';
import { fetchAccount } from '../ngrok/fetch-account';
import { RequestPacer } from '../ngrok/pacer';
import { resolveDirectory } from './resolve';

export interface SyncProgressReport {
  resource: string;
  pagesDone: number;
  pagesEstimated: number;
  done: boolean;
}

export interface SyncRequest {
  workspaceId: string;
  apiUrl: string;
  apiKey: string;
  /** Objects per collection at the last good sync, for page estimates. */
  previousCounts: Record<string, number>;
  /**
   * The sites of the last good sync. The resolver keeps from them what offline agents can no longer say (the kind
   * and names of a service behind an offline agent, an agent-bound service on a still-reserved address).
   */
  previousSites?: readonly Site[] | undefined;
  onProgress: (p: SyncProgressReport) => void;
  signal: AbortSignal;
}

export interface SyncResult {
  sites: Site[];
  counts: Record<string, number>;
}

export type SyncSource = (request: SyncRequest) => Promise<SyncResult>;

/** Client settings the composition root may tune (tests shorten timeouts and retries). */
export interface NgrokClientTuning {
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The production source. One RequestPacer per workspace, kept across syncs: the rate limit is per account. */
export function createNgrokSyncSource(tuning: NgrokClientTuning = {}): SyncSource {
  const pacers = new Map<string, RequestPacer>();
  return async (req) => {
    let pacer = pacers.get(req.workspaceId);
    if (!pacer)
      pacers.set(req.workspaceId, (pacer = new RequestPacer(tuning.sleep ? { sleep: tuning.sleep } : {})));
    const client = createNgrokClient({ ...tuning, apiUrl: req.apiUrl, apiKey: req.apiKey, pacer });
    const objects = await fetchAccount(client, {
      previousCounts: req.previousCounts,
      onProgress: req.onProgress,
      signal: req.signal,
    });
    const counts = Object.fromEntries(
      Object.entries(objects).map(([k, v]) => [k, Array.isArray(v) ? v.length : 0]),
    );
    const previous = req.previousSites !== undefined ? { previous: req.previousSites } : {};
    return { sites: resolveDirectory(objects, previous).sites, counts };
  };
}
