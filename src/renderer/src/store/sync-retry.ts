// What the window shows of a sync that starts while the saved directory is on screen because ngrok could not be read.
import type { SyncState } from '../../../shared/directory-types';

/**
 * The sync state to show when the core says `next` for the directory on screen, `shown` its state so far: a sync
 * that starts (the background retry each minute, or Try again) over a saved directory that ngrok could not refresh
 * (offline, rate-limited, key refused) keeps that failure shown until it ends. Taking 'syncing' at once took the
 * banner away for the retry (up to a minute when the API does not answer: 15 s x 4 tries), so the list jumped up by
 * the banner's height under the technician's pointer and down again at the next failure, and the cards lost their
 * "as of" look meanwhile. A first sync (nothing saved yet) shows that it is syncing.
 */
export function shownSyncState(
  shown: { syncedAt: string | null; sync: SyncState },
  next: SyncState,
): SyncState {
  const failed = shown.sync.status === 'offline' || shown.sync.status === 'error';
  return next.status === 'syncing' && failed && shown.syncedAt !== null ? shown.sync : next;
}
