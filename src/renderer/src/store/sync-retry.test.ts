// The sync state shown while a sync retries ngrok over the saved directory (sync-retry.ts).
import { describe, expect, it } from 'vitest';
import { shownSyncState } from './sync-retry';

const at = '2026-11-29T10:00:00Z';
const syncing = { status: 'syncing', message: null } as const;
const offline = { status: 'offline', message: 'The ngrok API did not answer.' } as const;

describe('the sync state shown', () => {
  it('keeps a failure (offline, rate-limited, key refused) shown while the next sync runs over the saved directory', () => {
    expect(shownSyncState({ syncedAt: at, sync: offline }, syncing)).toBe(offline);
    const refused = { status: 'error', message: 'ngrok did not accept this API key.' } as const;
    expect(shownSyncState({ syncedAt: at, sync: refused }, syncing)).toBe(refused);
  });

  it("takes the sync's outcome, and a sync that starts after a good one", () => {
    const ok = { status: 'ok', message: null } as const;
    expect(shownSyncState({ syncedAt: at, sync: offline }, ok)).toBe(ok);
    const again = { status: 'offline', message: 'The connection was dropped.' } as const;
    expect(shownSyncState({ syncedAt: at, sync: offline }, again)).toBe(again);
    expect(shownSyncState({ syncedAt: at, sync: ok }, syncing)).toBe(syncing);
  });

  it('shows a first sync (nothing saved) as syncing, even after a failed one', () => {
    expect(shownSyncState({ syncedAt: null, sync: offline }, syncing)).toBe(syncing);
  });
});
