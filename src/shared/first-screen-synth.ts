// The window's first screen written from what the core has (the directory head, the workspaces, the UI prefs and
// favorites, the window's size), for a start with no screen kept by this build: the first start of a new build, or
// a cache written by `sitehop sync` alone. The app's script cannot run before ~650 ms in a fresh renderer here, so
// only a screen in the page itself paints the directory sooner (docs/dev-notes.md, sixth to eighth passes).
//
// It must be the very tree the renderer keeps for that directory (renderer/src/first-screen/screen-tree.ts): the
// app's components are mirrored here, node for node, because the core cannot render React. The drift guard
// (e2e/first-screen-synth.harness.spec.ts) compares the two for cards, list, favorites, offline and themes, and
// names the first node that differs, so a changed component fails there instead of drifting silently. Whatever
// it does not cover (the demo, a sync in progress, a directory the head cannot lay out) gives null: no screen.
import type { Device, OfflineReason, Service, Site } from './directory-types';
import type { FirstScreenNode } from './first-screen';
import { KIND_LABEL, serviceAddress, serviceLabels } from './service-labels';

type Attrs = Record<string, string>;
type El = [string, Attrs, ...FirstScreenNode[]];

const el = (tag: string, attrs: Attrs, ...children: FirstScreenNode[]): El => [tag, attrs, ...children];

/** The window's directory list (`.virtual-directory`) as laid out: its clientWidth and clientHeight. */
export interface ListBox {
  width: number;
  height: number;
}

export interface SynthInput {
  /** `app.info` as the window would get it. */
  info: { version: string; platform: string; transport: string };
  /** `workspace.list` as the window would get it (id, name, source). */
  workspaces: readonly { id: string; name: string; source: string }[];
  workspaceId: string;
  demoAvailable: boolean;
  view: string;
  theme: string;
  favorites: readonly string[];
  head: {
    syncedAt: string | null;
    /** The sync state the window would be told (a cold start's head is 'ok'); absent means 'ok'. */
    sync?: { status: string } | undefined;
    sites: readonly Site[];
    totalSites: number;
    totalDevices: number;
  };
  /** Devices of every site of the whole directory, when known: the list's scroll height is exact then. */
  siteSizes?: readonly number[] | null | undefined;
  list: ListBox;
}

// Mirrors of the renderer's words and sizes (store/format.ts, components/directory/*). Checked by the drift guard.
const DEMO_ID = 'demo';
const ROW_HEIGHT = { site: 52, card: 146, list: 48 } as const;
const CARD_MIN_WIDTH = 300;
const REASONS: Record<OfflineReason, string> = {
  agent_offline: 'the site’s ngrok agent is not connected',
  no_internal_endpoint: 'nothing is published behind this address',
  refused_by_policy: 'its IP restrictions refuse this computer',
  unresolved: 'its ngrok settings could not be read',
};

const offlineWhy = (s: Service): string | null =>
  s.online ? null : s.offlineReason ? REASONS[s.offlineReason] : (s.problem ?? 'the agent is not connected');

function deviceState(device: Device): string {
  if (device.online) return 'Online';
  const why = device.services.map(offlineWhy).find((w) => w !== null);
  return why ? `Offline: ${why}` : 'Offline';
}

const star = (name: string, favorite: boolean): El =>
  el(
    'button',
    {
      type: 'button',
      class: 'icon star',
      'aria-pressed': String(favorite),
      'aria-label': favorite ? `Remove ${name} from favorites` : `Add ${name} to favorites`,
      title: favorite ? 'Favorite' : 'Add to favorites',
    },
    el('span', { 'aria-hidden': 'true' }, favorite ? '★' : '☆'),
  );

/** A text child as React writes it: none for an empty string. */
const text = (s: string): FirstScreenNode[] => (s === '' ? [] : [s]);

function serviceLine(device: Device, service: Service): El {
  const labels = serviceLabels(device, service);
  const why = offlineWhy(service);
  const address = serviceAddress(service);
  const line = el(
    'li',
    { class: `service ${service.online ? 'on' : 'off'}` },
    el('span', { class: `kind kind-${service.kind}` }, KIND_LABEL[service.kind]),
    el('code', { class: 'address', title: why ? `Offline: ${why}` : 'Online' }, ...text(address)),
  );
  if (labels.connect)
    line.push(
      el(
        'button',
        {
          type: 'button',
          class: 'action primary',
          'aria-label': labels.connect,
          title: why ? `${labels.connect} (offline: ${why})` : labels.connect,
        },
        service.kind === 'web' ? 'Open' : KIND_LABEL[service.kind],
      ),
    );
  line.push(
    el(
      'button',
      { type: 'button', class: 'action', 'aria-label': labels.copy, title: `Copy ${address}` },
      'Copy',
    ),
  );
  return line;
}

function deviceItem(device: Device, variant: 'card' | 'row', favorite: boolean, index: number): El {
  const details = el(
    'button',
    { type: 'button', class: 'action details-button', 'aria-label': `Details of ${device.name}` },
    'Details',
  );
  const head = el(
    'div',
    { class: 'device-head' },
    el('span', { class: `dot ${device.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
    el('span', { class: 'device-name', title: device.name }, ...text(device.name)),
  );
  if (variant === 'card') head.push(details);
  head.push(star(device.name, favorite));
  const item = el(
    'div',
    {
      role: 'listitem',
      'aria-label': device.name,
      class: `device ${variant} ${device.online ? 'online' : 'offline'}`,
      'data-device-id': device.id,
      'data-index': String(index),
      tabindex: index === 0 ? '0' : '-1',
    },
    head,
    el('div', { class: `device-state ${device.online ? 'ok' : 'warn'}` }, deviceState(device)),
    el(
      'ul',
      { class: 'services', 'aria-label': `Services of ${device.name}` },
      ...device.services.map((s) => serviceLine(device, s)),
    ),
  );
  if (variant === 'row') item.push(details);
  return item;
}

function siteHeader(site: Site, favorite: boolean, style: string): El {
  const online = site.devices.filter((d) => d.online).length;
  const n = site.devices.length;
  const stateAttrs: Attrs = { class: `site-state ${site.online ? 'ok' : 'warn'}` };
  let state: FirstScreenNode[];
  if (site.online) state = ['Agent online'];
  else if (site.agentLastSeenAt) {
    stateAttrs['data-since'] = site.agentLastSeenAt;
    state = ['Agent offline, last seen ', { since: site.agentLastSeenAt }];
  } else state = ['Agent offline, never seen'];
  return el(
    'div',
    { role: 'listitem', 'aria-label': `Site ${site.name}`, class: 'site-header', style },
    el('span', { class: `dot ${site.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
    el('h3', { class: 'site-name', title: site.name }, ...text(site.name)),
    star(site.name, favorite),
    el('span', stateAttrs, ...state),
    el(
      'span',
      { class: 'muted' },
      String(n),
      ' ',
      n === 1 ? 'device' : 'devices',
      ', ',
      String(online),
      ' online',
    ),
  );
}

const rowStyle = (size: number, start: number): string =>
  `position: absolute; top: 0px; left: 0px; right: 0px; height: ${size}px; transform: translateY(${start}px);`;

type Row = { site: Site } | { devices: { device: Device; index: number }[] };

/**
 * The virtual list's rows on screen at scrollTop 0 and its total height, as @tanstack/react-virtual lays them out
 * with the estimated sizes (VirtualDirectory.tsx measures nothing): rows up to the first one reaching the list's
 * height, then `overscan` more. Null when the head's sites do not reach that far.
 */
function listRows(
  input: SynthInput,
  per: number,
  rowHeight: number,
  overscan: number,
): { rows: { row: Row; start: number; size: number }[]; total: number } | null {
  const { head } = input;
  const rows: { row: Row; start: number; size: number }[] = [];
  let at = 0;
  let index = 0;
  for (const site of head.sites) {
    if (site.devices.length === 0) continue; // a site without devices has no row (rows.ts: rows follow devices)
    rows.push({ row: { site }, start: at, size: ROW_HEIGHT.site });
    at += ROW_HEIGHT.site;
    for (let d = 0; d < site.devices.length; d += per) {
      const devices = site.devices.slice(d, d + per).map((device, k) => ({ device, index: index + d + k }));
      rows.push({ row: { devices }, start: at, size: rowHeight });
      at += rowHeight;
    }
    index += site.devices.length;
  }
  // The first row whose end reaches the list's bottom, then the overscan.
  let end = rows.findIndex((r) => r.start + r.size >= input.list.height);
  const whole = head.sites.length >= head.totalSites;
  if (end < 0) {
    if (!whole) return null;
    end = rows.length - 1;
  }
  const last = end + overscan;
  if (last >= rows.length && !whole) return null;
  const shown = rows.slice(0, last + 1);

  // The whole list's height: the head's rows, then the other sites' (exact when their sizes are known).
  let total = at;
  if (!whole) {
    const rest = restSizes(input);
    if (!rest) return null;
    for (const n of rest) if (n > 0) total += ROW_HEIGHT.site + Math.ceil(n / per) * rowHeight;
  }
  return { rows: shown, total };
}

/** Device counts of the sites after the head's: known, or the rest of the devices spread evenly. */
function restSizes(input: SynthInput): number[] | null {
  const { head, siteSizes } = input;
  const headSites = head.sites.length;
  if (siteSizes && siteSizes.length === head.totalSites) return siteSizes.slice(headSites);
  const sites = head.totalSites - headSites;
  const devices = head.totalDevices - head.sites.reduce((n, s) => n + s.devices.length, 0);
  if (sites <= 0 || devices < 0) return null;
  const base = Math.floor(devices / sites);
  return Array.from({ length: sites }, (_, i) => base + (i < devices % sites ? 1 : 0));
}

function directoryList(input: SynthInput, favorites: ReadonlySet<string>): El | null {
  const view = input.view === 'list' ? 'list' : 'cards';
  const cols = Math.max(1, Math.floor((input.list.width - 16) / CARD_MIN_WIDTH));
  const per = view === 'cards' ? cols : 1;
  const laid = listRows(
    input,
    per,
    view === 'cards' ? ROW_HEIGHT.card : ROW_HEIGHT.list,
    view === 'cards' ? 1 : 4,
  );
  if (!laid) return null;
  const children = laid.rows.map(({ row, start, size }): El => {
    const style = rowStyle(size, start);
    if ('site' in row) return siteHeader(row.site, favorites.has(row.site.id), style);
    return el(
      'div',
      { role: 'none', class: 'device-row', style },
      ...row.devices.map(({ device, index }) =>
        deviceItem(device, view === 'cards' ? 'card' : 'row', favorites.has(device.id), index),
      ),
    );
  });
  // The results' list (empty with no query, not shown) and the directory's, in one place (VirtualDirectory.tsx).
  return el(
    'div',
    { class: 'directory-lists' },
    el(
      'div',
      { class: `directory-list-off off ${view}`, role: 'list', 'aria-label': 'Search results' },
      el('div', { style: 'height: 0px; position: relative;' }),
    ),
    el(
      'div',
      {
        class: `virtual-directory ${view}`,
        role: 'list',
        'aria-label': 'Devices',
        'data-testid': 'directory-list',
      },
      el('div', { style: `height: ${laid.total}px; position: relative;` }, ...children),
    ),
  );
}

function topBar(input: SynthInput): El {
  const { info, workspaces, workspaceId } = input;
  const real = workspaces.filter((w) => w.source !== 'demo');
  const listed = workspaces.some((w) => w.id === DEMO_ID);
  const own = workspaces.find((w) => w.id === workspaceId && w.source === 'keychain');
  const current = workspaces.find((w) => w.id === workspaceId)?.name;
  const option = (value: string, selected: boolean, ...children: FirstScreenNode[]): El =>
    el('option', selected ? { value, selected: '' } : { value }, ...children);
  const options: El[] = real.map((w) => option(w.id, w.id === workspaceId, ...text(w.name)));
  if (listed) options.push(option(DEMO_ID, false, 'Demo: built-in sandbox (not a real account)'));
  if (!listed && input.demoAvailable)
    options.push(option('__try_demo__', false, 'Try the demo (built-in sandbox)'));
  options.push(option('__add__', false, 'Add ngrok account…'));
  if (own) options.push(option('__manage__', false, 'Rename or remove “', ...text(own.name), '”…'));
  if (own) options.push(option('__rekey__', false, 'Replace the API key of “', ...text(own.name), '”…'));
  const palette = input.info.platform === 'darwin' ? '⌘K' : 'Ctrl+K';
  const theme = ['system', 'light', 'dark'].includes(input.theme) ? input.theme : 'system';
  const syncedAt = input.head.syncedAt!;
  return el(
    'header',
    { class: 'topbar' },
    el(
      'div',
      { class: 'brand', title: `SiteHop ${info.version}` },
      el('span', { class: 'logo', 'aria-hidden': 'true' }, '⇢'),
      'SiteHop',
    ),
    el(
      'label',
      { class: 'workspace-picker' },
      el('span', { class: 'visually-hidden' }, 'Workspace'),
      el('select', current === undefined ? {} : { title: current }, ...options),
    ),
    el('input', {
      id: 'search',
      'aria-label': 'Search',
      placeholder: 'Search devices  ( / )',
      title: 'Search sites, devices and addresses (press / to come here)',
      autocomplete: 'off',
      spellcheck: 'false',
      type: 'search',
      value: '',
    }),
    el(
      'div',
      { class: 'sync-status' },
      el('span', { 'data-testid': 'sync-line', class: 'muted', 'data-since': syncedAt }, 'Last synced ', {
        since: syncedAt,
      }),
      el(
        'button',
        {
          type: 'button',
          class: 'icon',
          'aria-label': 'Refresh directory',
          title: 'Refresh the directory from ngrok',
        },
        el('span', { 'aria-hidden': 'true' }, '⟳'),
      ),
    ),
    el(
      'button',
      {
        type: 'button',
        class: 'icon',
        'aria-label': 'Command palette',
        title: `Jump or connect by typing (${palette}; in a terminal, Ctrl+Shift+K)`,
      },
      el('span', { 'aria-hidden': 'true' }, palette),
    ),
    el(
      'label',
      { class: 'theme-picker' },
      el('span', { class: 'visually-hidden' }, 'Theme'),
      el(
        'select',
        {},
        option('system', theme === 'system', 'Theme: system'),
        option('light', theme === 'light', 'Theme: light'),
        option('dark', theme === 'dark', 'Theme: dark'),
      ),
    ),
    el(
      'details',
      { class: 'about' },
      el('summary', { 'aria-label': 'About SiteHop' }, 'About'),
      el(
        'dl',
        { class: 'about-body' },
        el('dt', {}, 'Version'),
        el('dd', { 'data-testid': 'app-version' }, `v${info.version}`),
        el('dt', {}, 'Platform'),
        el('dd', { 'data-testid': 'app-platform' }, ...text(info.platform)),
        el('dt', {}, 'Transport'),
        el('dd', { 'data-testid': 'app-transport' }, ...text(info.transport)),
        el('dt', {}, 'Back end'),
        el(
          'dd',
          {},
          el('span', { 'data-testid': 'connection-status' }, 'Connected'),
          el('span', { hidden: '', 'data-testid': 'heartbeat-seq' }),
        ),
      ),
    ),
  );
}

/**
 * The first screen the app would keep for this directory, window and prefs (the directory tab at its top, nothing
 * open, before any heartbeat), or null when this start is not one it covers.
 */
export function synthesizeFirstScreen(input: SynthInput): FirstScreenNode | null {
  const { head, workspaces, workspaceId } = input;
  const workspace = workspaces.find((w) => w.id === workspaceId);
  // The demo (its banner, pill and login), the welcome screen, a sync in progress or failed (a bar or banner),
  // an empty directory: not covered; the app paints those.
  if (!workspace || workspace.source === 'demo' || workspaceId === DEMO_ID) return null;
  if (!workspaces.some((w) => w.source !== 'demo')) return null;
  if (head.syncedAt === null || (head.sync && head.sync.status !== 'ok')) return null;
  if (head.totalDevices === 0 || head.sites.length === 0) return null;
  if (input.view !== 'cards' && input.view !== 'list') return null;
  if (input.list.width <= 0 || input.list.height <= 0) return null;
  const list = directoryList(input, new Set(input.favorites));
  if (!list) return null;
  return el(
    'div',
    { class: 'app' },
    topBar(input),
    el('div', { class: 'progress-slot', 'aria-hidden': 'true' }),
    el('div', { class: 'banners' }),
    el(
      'div',
      { class: 'body ' },
      el(
        'main',
        { class: 'main' },
        el(
          'div',
          { role: 'tablist', 'aria-label': 'Views and sessions', class: 'tabstrip' },
          tab('home', 'Home', false),
          tab('directory', 'Directory', true),
        ),
        el(
          'div',
          { role: 'tabpanel', id: 'panel-directory', 'aria-labelledby': 'tab-directory', class: 'panel' },
          el(
            'section',
            { class: 'directory', 'aria-label': 'Directory' },
            el(
              'div',
              { class: 'directory-toolbar' },
              el(
                'span',
                { class: 'muted', 'aria-live': 'polite' },
                `${head.totalSites} sites, ${head.totalDevices} devices`,
              ),
              el(
                'div',
                { class: 'segmented', role: 'group', 'aria-label': 'View' },
                el('button', { type: 'button', 'aria-pressed': String(input.view === 'cards') }, 'Cards'),
                el('button', { type: 'button', 'aria-pressed': String(input.view === 'list') }, 'List'),
              ),
            ),
            list,
          ),
        ),
      ),
    ),
    el('div', { class: 'toast-slot', role: 'status', 'aria-live': 'polite' }),
  );
}

const tab = (key: string, label: string, selected: boolean): El =>
  el(
    'div',
    {
      role: 'tab',
      id: `tab-${key}`,
      'aria-selected': String(selected),
      'aria-controls': `panel-${key}`,
      tabindex: selected ? '0' : '-1',
      class: 'tab ',
    },
    label,
  );

/**
 * Where two trees first differ, as a path of elements (tag, classes, [position among its parent's children]) and
 * what differs there; null when equal.
 */
export function firstDifference(
  a: FirstScreenNode,
  b: FirstScreenNode,
  at = '',
  position: number | null = null,
): string | null {
  const index = position === null ? '' : `[${position}]`;
  const name = (n: FirstScreenNode): string =>
    typeof n === 'string'
      ? JSON.stringify(n)
      : Array.isArray(n)
        ? `<${n[0]} ${JSON.stringify(n[1])}>`
        : `{since: ${n.since}}`;
  if (typeof a === 'string' || typeof b === 'string' || !Array.isArray(a) || !Array.isArray(b)) {
    const same =
      typeof a === 'string' || typeof b === 'string'
        ? a === b
        : !Array.isArray(a) && !Array.isArray(b) && a.since === b.since;
    return same ? null : `${at}/${index}: ${name(a)} != ${name(b)}`;
  }
  const here = `${at}/${a[0]}${a[1].class ? `.${a[1].class.trim().replace(/\s+/g, '.')}` : ''}${index}`;
  if (a[0] !== b[0]) return `${at}/${index}: ${name(a)} != ${name(b)}`;
  const keys = new Set([...Object.keys(a[1]), ...Object.keys(b[1])]);
  for (const k of keys)
    if (a[1][k] !== b[1][k])
      return `${here}: attribute ${k}: ${JSON.stringify(a[1][k])} != ${JSON.stringify(b[1][k])}`;
  const left = a.slice(2) as FirstScreenNode[];
  const right = b.slice(2) as FirstScreenNode[];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (i >= left.length) return `${here}: child ${i} missing on the left: ${name(right[i]!)}`;
    if (i >= right.length) return `${here}: child ${i} missing on the right: ${name(left[i]!)}`;
    const d = firstDifference(left[i]!, right[i]!, here, i);
    if (d) return d;
  }
  return null;
}
