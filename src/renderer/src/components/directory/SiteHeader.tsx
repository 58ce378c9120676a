import type { Site } from '../../../../shared/directory-types';
import { relativeTime } from '../../store/format';
import { StarButton } from './StarButton';

export function siteState(site: Site): string {
  if (site.online) return 'Agent online';
  return site.agentLastSeenAt
    ? `Agent offline, last seen ${relativeTime(site.agentLastSeenAt)}`
    : 'Agent offline, never seen';
}

export function SiteHeader({
  site,
  favorite,
  style,
}: {
  site: Site;
  favorite: boolean;
  style?: React.CSSProperties;
}) {
  const online = site.devices.filter((d) => d.online).length;
  return (
    <div role="listitem" aria-label={`Site ${site.name}`} className="site-header" style={style}>
      <span className={`dot ${site.online ? 'on' : 'off'}`} aria-hidden />
      <h3 className="site-name" title={site.name}>
        {site.name}
      </h3>
      <StarButton id={site.id} name={site.name} favorite={favorite} />
      <span
        className={`site-state ${site.online ? 'ok' : 'warn'}`}
        data-since={site.online ? undefined : (site.agentLastSeenAt ?? undefined)}
      >
        {siteState(site)}
      </span>
      <span className="muted">
        {site.devices.length} {site.devices.length === 1 ? 'device' : 'devices'}, {online} online
      </span>
    </div>
  );
}
