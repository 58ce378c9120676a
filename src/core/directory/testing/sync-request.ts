// What a sync source is asked in a test against a sandbox account: its URL and key, no page estimates kept,
// progress ignored, never aborted; a full sync unless a plan says otherwise.
import type { Site } from '../../../shared/directory-types';
import type { SyncPlan, SyncRequest } from '../sync-source';

export function sandboxSyncRequest(
  sandbox: { apiUrl: string; apiKey: string },
  workspaceId: string,
  plan?: SyncPlan,
  previousSites?: readonly Site[],
): SyncRequest {
  return {
    workspaceId,
    apiUrl: sandbox.apiUrl,
    apiKey: sandbox.apiKey,
    previousCounts: {},
    ...(previousSites ? { previousSites } : {}),
    onProgress: () => undefined,
    signal: new AbortController().signal,
    ...(plan ? { plan } : {}),
  };
}
