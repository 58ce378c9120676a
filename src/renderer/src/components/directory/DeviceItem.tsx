// One device, as a card (cards view, home) or a dense row (list view): its state in words, each service as
// one-click actions, a favorite star and its details. The element is a list item named by the device.
import { memo } from 'react';
import type { Service } from '../../../../shared/directory-types';
import { serviceLabels } from '../../hooks/device-actions';
import { useConnect } from '../../hooks/use-connect';
import { serviceAddress, type FieldRanges, type IndexedDevice } from '../../search/device-index';
import { appStore } from '../../store';
import { KIND_LABEL, offlineWhy } from '../../store/format';
import { Highlight } from './Highlight';
import { StarButton } from './StarButton';

export interface DeviceItemProps {
  entry: IndexedDevice;
  variant: 'card' | 'row';
  favorite: boolean;
  /** Show the site name (search results, home): the device is not under its site's header. */
  showSite: boolean;
  ranges?: FieldRanges | undefined;
  /** The item that takes Tab focus in the list (roving focus); -1 for the others. */
  tabIndex?: number;
  index?: number;
  style?: React.CSSProperties;
}

function deviceState(entry: IndexedDevice): string {
  if (entry.device.online) return 'Online';
  const why = entry.device.services.map(offlineWhy).find((w) => w !== null);
  return why ? `Offline: ${why}` : 'Offline';
}

interface ServiceLineProps {
  entry: IndexedDevice;
  service: Service;
  ranges: number[] | undefined;
}

function ServiceLineView({ entry, service, ranges }: ServiceLineProps) {
  const actions = useConnect();
  const labels = serviceLabels(entry.device, service);
  const why = offlineWhy(service);
  const address = serviceAddress(service);
  return (
    <li className={`service ${service.online ? 'on' : 'off'}`}>
      <span className={`kind kind-${service.kind}`}>{KIND_LABEL[service.kind]}</span>
      <code className="address" title={why ? `Offline: ${why}` : 'Online'}>
        <Highlight text={address} ranges={ranges} />
      </code>
      {labels.connect && (
        <button
          type="button"
          className="action primary"
          aria-label={labels.connect}
          title={why ? `${labels.connect} (offline: ${why})` : labels.connect}
          onClick={() => actions.run(entry, service)}
        >
          {service.kind === 'web' ? 'Open' : KIND_LABEL[service.kind]}
        </button>
      )}
      <button
        type="button"
        className="action"
        aria-label={labels.copy}
        title={`Copy ${address}`}
        onClick={() => actions.copy(entry, service)}
      >
        Copy
      </button>
    </li>
  );
}

const sameRanges = (a: number[] | undefined, b: number[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]));

const FIELDS = ['device', 'site', 'address', 'kinds', 'tags'] as const;
const sameFieldRanges = (a: FieldRanges | undefined, b: FieldRanges | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && FIELDS.every((f) => sameRanges(a[f], b[f])));

// Each keystroke's hits bring new range objects: a line or card showing the same device with the same highlighted
// letters (most of them while a term is typed on) is left as it is instead of rendered again.
const ServiceLine = memo(
  ServiceLineView,
  (a, b) => a.entry === b.entry && a.service === b.service && sameRanges(a.ranges, b.ranges),
);

/** Address ranges for one service: the search's address field holds every address joined by spaces. */
function addressRanges(
  entry: IndexedDevice,
  ranges: FieldRanges | undefined,
  at: number,
): number[] | undefined {
  const all = ranges?.address;
  if (!all) return undefined;
  let offset = 0;
  for (let i = 0; i < at; i++) offset += serviceAddress(entry.device.services[i]!).length + 1;
  const len = serviceAddress(entry.device.services[at]!).length;
  const out: number[] = [];
  for (let i = 0; i + 1 < all.length; i += 2) {
    const s = Math.max(all[i]!, offset) - offset;
    const e = Math.min(all[i + 1]!, offset + len) - offset;
    if (s < e) out.push(s, e);
  }
  return out;
}

function DeviceItemView({
  entry,
  variant,
  favorite,
  showSite,
  ranges,
  tabIndex = -1,
  index,
  style,
}: DeviceItemProps) {
  const { device, site } = entry;
  const state = deviceState(entry);
  const details = (
    <button
      type="button"
      className="action details-button"
      aria-label={`Details of ${device.name}`}
      onClick={() => appStore.getState().detailsOpened(device.id)}
    >
      Details
    </button>
  );
  return (
    <div
      role="listitem"
      aria-label={device.name}
      className={`device ${variant} ${device.online ? 'online' : 'offline'}`}
      data-device-id={device.id}
      data-index={index}
      tabIndex={tabIndex}
      style={style}
    >
      <div className="device-head">
        <span className={`dot ${device.online ? 'on' : 'off'}`} aria-hidden />
        {/* The whole name as a tooltip: a long one is cut with an ellipsis (an attribute, no element per card). */}
        <span className="device-name" title={device.name}>
          <Highlight text={device.name} ranges={ranges?.device} />
        </span>
        {showSite && (
          <span className="device-site muted" title={site.name}>
            <Highlight text={site.name} ranges={ranges?.site} />
          </span>
        )}
        {variant === 'card' && details}
        <StarButton id={device.id} name={device.name} favorite={favorite} />
      </div>
      <div className={`device-state ${device.online ? 'ok' : 'warn'}`}>{state}</div>
      <ul className="services" aria-label={`Services of ${device.name}`}>
        {/* By position, as the cards themselves: another device's services reuse these lines. */}
        {device.services.map((s, i) => (
          <ServiceLine key={i} entry={entry} service={s} ranges={addressRanges(entry, ranges, i)} />
        ))}
      </ul>
      {variant === 'row' && details}
    </div>
  );
}

/** Every prop the same (a prop added later included), the ranges by content. */
function sameItem(a: DeviceItemProps, b: DeviceItemProps): boolean {
  const keys = Object.keys(a) as (keyof DeviceItemProps)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (key !== 'ranges' && a[key] !== b[key]) return false;
  return sameFieldRanges(a.ranges, b.ranges);
}

export const DeviceItem = memo(DeviceItemView, sameItem);
