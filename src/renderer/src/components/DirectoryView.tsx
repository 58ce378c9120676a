import { useMemo } from 'react';
import type { Device, DirectorySnapshot, Service } from '../../../shared/directory-types';
import { filterSites } from '../directory-filter';
import { useAppStore } from '../store/app-store';

function syncLine(snapshot: DirectorySnapshot): string {
  const when = snapshot.syncedAt
    ? `Last synced ${new Date(snapshot.syncedAt).toLocaleString()}`
    : 'Never synced';
  if (snapshot.sync.status === 'syncing') return 'Syncing with ngrok…';
  if (snapshot.sync.status === 'offline') return `Offline: showing the saved directory. ${when}.`;
  if (snapshot.sync.status === 'error') return `${snapshot.sync.message ?? 'Sync failed.'} ${when}.`;
  return `${when}.`;
}

function ServiceRow({ service }: { service: Service }) {
  return (
    <li className="service" data-testid="service">
      <span
        className={`dot ${service.online ? 'on' : 'off'}`}
        title={service.online ? 'Online' : 'Offline'}
      />
      <span className={`kind kind-${service.kind}`}>{service.kind.toUpperCase()}</span>
      <code>
        {service.host}:{service.port}
      </code>
      {service.allow.length > 0 && <span className="muted">allow {service.allow.join(', ')}</span>}
      {service.problem && <span className="problem">{service.problem}</span>}
    </li>
  );
}

function DeviceCard({ device, favorite }: { device: Device; favorite: boolean }) {
  const favoriteToggled = useAppStore((s) => s.favoriteToggled);
  return (
    <div className="device" data-testid="device">
      <div className="device-head">
        <span className={`dot ${device.online ? 'on' : 'off'}`} />
        <strong>{device.name}</strong>
        <button
          className="icon"
          aria-pressed={favorite}
          aria-label={favorite ? `Remove ${device.name} from favorites` : `Add ${device.name} to favorites`}
          onClick={() => void favoriteToggled(device.id, !favorite)}
        >
          {favorite ? '★' : '☆'}
        </button>
      </div>
      <ul>
        {device.services.map((s) => (
          <ServiceRow key={s.id} service={s} />
        ))}
      </ul>
    </div>
  );
}

export function DirectoryView({ snapshot }: { snapshot: DirectorySnapshot }) {
  const query = useAppStore((s) => s.query);
  const queryChanged = useAppStore((s) => s.queryChanged);
  const refreshRequested = useAppStore((s) => s.refreshRequested);
  const busy = useAppStore((s) => s.busy);
  const progress = useAppStore((s) => s.progress);
  const sites = useMemo(() => filterSites(snapshot.sites, query), [snapshot.sites, query]);
  const favorites = new Set(snapshot.favorites);

  return (
    <section className="directory">
      <div className="toolbar">
        <input
          type="search"
          aria-label="Search sites and devices"
          placeholder="Search sites, devices, addresses…"
          value={query}
          onChange={(e) => queryChanged(e.target.value)}
        />
        <button onClick={() => void refreshRequested()} disabled={busy}>
          {busy ? 'Syncing…' : 'Refresh'}
        </button>
      </div>
      <p className={`sync-line ${snapshot.sync.status}`} data-testid="sync-line">
        {progress
          ? `Syncing ${progress.resource}: page ${progress.pagesDone} of ~${progress.pagesEstimated}`
          : syncLine(snapshot)}
      </p>
      {sites.length === 0 && (
        <p className="muted">{query ? 'Nothing matches your search.' : 'No sites yet.'}</p>
      )}
      {sites.map((site) => (
        <div className="site" key={site.id} data-testid="site">
          <h3>
            <span className={`dot ${site.online ? 'on' : 'off'}`} /> {site.name}
            <span className="muted"> · {site.devices.length} devices</span>
          </h3>
          <div className="devices">
            {site.devices.map((d) => (
              <DeviceCard key={d.id} device={d} favorite={favorites.has(d.id)} />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
