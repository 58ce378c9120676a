// Home: favorite sites and devices, and the last connections for a one-click reconnect.
import { useDeviceIndex, useFavorites } from '../hooks/use-directory';
import { siteQuery } from '../search/device-index';
import { useAppStore } from '../store';
import { relativeTime } from '../store/format';
import { DeviceItem } from './directory/DeviceItem';
import { SiteHeader } from './directory/SiteHeader';

export function HomeView() {
  const snapshot = useAppStore((s) => s.snapshot);
  const queryChanged = useAppStore((s) => s.queryChanged);
  const tabSelected = useAppStore((s) => s.tabSelected);
  // The saved copy on screen while ngrok cannot be read: its states are those of then (as in the directory).
  const staleSince = useAppStore((s) =>
    s.snapshot?.sync.status === 'offline' || s.snapshot?.sync.status === 'error'
      ? (s.snapshot.syncedAt ?? 'never')
      : null,
  );
  const index = useDeviceIndex();
  const favorites = useFavorites();
  if (!snapshot) return <p className="empty muted">Loading…</p>;
  const favSites = snapshot.sites.filter((s) => favorites.has(s.id));
  const favDevices = snapshot.favorites.map((id) => index.byId.get(id)).filter((e) => e !== undefined);
  const recents = snapshot.recents.map((id) => index.byId.get(id)).filter((e) => e !== undefined);

  return (
    <section
      className={staleSince === null ? 'home' : 'home stale'}
      aria-label="Home"
      style={
        staleSince === null
          ? undefined
          : ({
              '--as-of': JSON.stringify(
                `as of ${staleSince === 'never' ? 'never synced' : relativeTime(staleSince)}`,
              ),
            } as React.CSSProperties)
      }
    >
      <h2>Favorites</h2>
      {favSites.length === 0 && favDevices.length === 0 ? (
        <p className="muted">Star a site or a device (☆) to keep it here.</p>
      ) : (
        <div role="list" aria-label="Favorites" className="home-list">
          {favSites.map((site) => (
            <div key={site.id} className="home-site">
              <SiteHeader site={site} favorite />
              <button
                type="button"
                className="action"
                aria-label={`Show the devices of ${site.name}`}
                onClick={() => {
                  // By id: the site's name as a search also matched "Vet 12" for "Vet 1".
                  queryChanged(siteQuery(site.id));
                  tabSelected('directory');
                  // The button goes with Home: the keyboard goes to the search box that says what is shown (and
                  // ArrowDown from there into the devices), not to the page's body.
                  document.getElementById('search')?.focus();
                }}
              >
                Show devices
              </button>
            </div>
          ))}
          {favDevices.map((entry) => (
            <DeviceItem key={entry.device.id} entry={entry} variant="card" favorite showSite />
          ))}
        </div>
      )}
      <h2>Recent connections</h2>
      {recents.length === 0 ? (
        <p className="muted">Devices you connect to appear here for a one-click reconnect.</p>
      ) : (
        <div role="list" aria-label="Recent connections" className="home-list">
          {recents.map((entry) => (
            <DeviceItem
              key={entry.device.id}
              entry={entry}
              variant="card"
              favorite={favorites.has(entry.device.id)}
              showSite
            />
          ))}
        </div>
      )}
    </section>
  );
}
