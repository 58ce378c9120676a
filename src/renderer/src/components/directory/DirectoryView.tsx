// The directory tab: view switch (cards / list), the virtual list, and the empty and first-sync states.
import { useDeviceIndex, useFavorites, useSearchHits } from '../../hooks/use-directory';
import { useAppStore } from '../../store';
import { relativeTime } from '../../store/format';
import { parseSiteQuery } from '../../search/device-index';
import { SyncProgressBar } from '../SyncBar';
import { VirtualDirectory } from './VirtualDirectory';

export function DirectoryView() {
  // Only what this view shows: a sync's state and its progress (two events a second in a full sync) re-rendered
  // the whole list each time (a window's script time over a minute of full sync: 525-567 -> 382-450 ms).
  const loaded = useAppStore((s) => s.snapshot !== null);
  const siteCount = useAppStore((s) => s.snapshot?.sites.length ?? 0);
  const firstSync = useAppStore(
    (s) =>
      (s.snapshot?.sites.length ?? 0) === 0 &&
      (s.snapshot?.sync.status === 'syncing' || s.snapshot?.sync.status === 'never' || s.progress !== null),
  );
  const query = useAppStore((s) => s.query);
  const view = useAppStore((s) => s.ui?.view ?? 'cards');
  const viewChosen = useAppStore((s) => s.viewChosen);
  const partial = useAppStore((s) => s.partial);
  // The saved copy on screen while ngrok cannot be read (offline, or the key failed): its states are those of then.
  const staleSince = useAppStore((s) =>
    s.snapshot?.sync.status === 'offline' || s.snapshot?.sync.status === 'error'
      ? (s.snapshot.syncedAt ?? 'never')
      : null,
  );
  const index = useDeviceIndex();
  const favorites = useFavorites();
  const hits = useSearchHits(index, query);
  const queryChanged = useAppStore((s) => s.queryChanged);
  // A favorite site's "Show devices" (site:<id>): say whose devices these are, and the way back to all of them.
  const inSite = parseSiteQuery(query);
  const siteName =
    inSite && (index.entries.find((e) => e.site.id === inSite.siteId)?.site.name ?? inSite.siteId);

  if (!loaded) return <p className="empty muted">Loading the directory…</p>;
  if (siteCount === 0) {
    if (firstSync) {
      return (
        <section className="first-sync" aria-label="First sync">
          <h2>Reading this ngrok account…</h2>
          <p className="muted">
            The first sync lists every endpoint, agent and policy, paced to ngrok’s limit of 120 requests a
            minute. Sites appear here when it is done; later starts open instantly from the saved copy.
          </p>
          <SyncProgressBar />
        </section>
      );
    }
    return (
      <section className="empty">
        <h2>No sites yet</h2>
        <p className="muted">
          This account has no cloud endpoints that forward to a device. Publish one with an ngrok agent
          (forward-internal to a device’s internal endpoint), then press Refresh.
        </p>
      </section>
    );
  }

  const devices = index.entries.length;
  return (
    <section className="directory" aria-label="Directory">
      <div className="directory-toolbar">
        <span className="muted" aria-live="polite">
          {inSite && hits
            ? `${hits.length} ${hits.length === 1 ? 'device' : 'devices'} of ${siteName}${inSite.rest ? ` match “${inSite.rest}”` : ''}`
            : hits
              ? hits.length === 0
                ? `Nothing matches “${query}”.`
                : `${hits.length} of ${devices} devices match, best first`
              : partial
                ? `Loading all ${partial.totalDevices} devices of ${partial.totalSites} sites…`
                : `${siteCount} sites, ${devices} devices`}
          {inSite && (
            <button type="button" className="link" onClick={() => queryChanged('')}>
              Show all devices
            </button>
          )}
        </span>
        <div className="segmented" role="group" aria-label="View">
          <button type="button" aria-pressed={view === 'cards'} onClick={() => void viewChosen('cards')}>
            Cards
          </button>
          <button type="button" aria-pressed={view === 'list'} onClick={() => void viewChosen('list')}>
            List
          </button>
        </div>
      </div>
      {hits && hits.length === 0 && (
        <p className="empty muted">
          Try fewer letters, a site name, a kind (ssh, rdp, web) or part of an address.
        </p>
      )}
      {/* Mounted while nothing matches too: the directory keeps its place for when the search is cleared. */}
      <VirtualDirectory
        index={index}
        hits={hits}
        view={view}
        favorites={favorites}
        staleAsOf={
          staleSince === null ? null : staleSince === 'never' ? 'never synced' : relativeTime(staleSince)
        }
      />
    </section>
  );
}
