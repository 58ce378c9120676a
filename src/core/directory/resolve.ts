// The directory resolver (docs/architecture.md, "Directory"): account objects in, sites → devices → services out.
// Pure and total: no I/O, never throws on any input; a malformed policy or metadata makes one service
// "unresolved" (Service.problem) and leaves the rest of the directory intact.
import type { Device, Service, ServiceKind, Site } from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import { parseHostPort, schemeOf, SERVICE_SCHEMES } from './resolve-address';
import type { HostPort } from './resolve-address';
import { nameKey, slugify, uniqueIds } from './resolve-ids';
import { KIND_ORDER, kindOf } from './resolve-kind';
import type { NameHints } from './resolve-metadata';
import { readMetadata } from './resolve-metadata';
import { agentSite, namesFromHost, sessionSite } from './resolve-names';
import type { AccountIndex, Rec } from './resolve-read';
import { field, indexAccount, refId, text } from './resolve-read';
import { routeOf } from './resolve-policy';

export interface Directory {
  sites: Site[];
}

export const UNASSIGNED_SITE = { id: '_unassigned', name: 'Unassigned' } as const;

/** Where a name came from; the better source names a merged site or device. */
const enum Source {
  Metadata = 0,
  TargetHost = 1,
  Agent = 2,
  Fallback = 3,
}

interface Named {
  name: string;
  source: Source;
}

interface Draft {
  site: Named;
  device: Named;
  kind: ServiceKind;
  address: HostPort | null;
  target: string;
  targetPort: number | null;
  online: boolean;
  allow: string[];
  deny: string[];
  username: string | null;
  problem: string | null;
}

function hintsOf(endpoint: Rec, index: AccountIndex): { hints: NameHints; problems: string[] } {
  const own = readMetadata(field(endpoint, 'metadata'));
  const addrId = refId(field(endpoint, 'tcp_addr'));
  const reserved = addrId === null ? undefined : index.reservedAddrs.get(addrId);
  const fromAddr =
    reserved === undefined ? { hints: {}, problem: null } : readMetadata(field(reserved, 'metadata'));
  const problems: string[] = [];
  if (own.problem !== null) problems.push(`the cloud endpoint's metadata ${own.problem}`);
  if (fromAddr.problem !== null) problems.push(`the reserved address's metadata ${fromAddr.problem}`);
  // Key by key, the endpoint's own metadata wins over its reserved address's.
  return { hints: { ...fromAddr.hints, ...own.hints }, problems };
}

function draftOf(endpoint: Rec, index: AccountIndex): Draft | null {
  const url = text(field(endpoint, 'url'), 2048);
  const scheme = url === null ? null : schemeOf(url);
  if (url === null || scheme === null || !SERVICE_SCHEMES.has(scheme)) return null;
  const route = routeOf(field(endpoint, 'traffic_policy'), scheme);
  if (route.kind === 'none') return null;

  const address = parseHostPort(url);
  const { hints, problems } = hintsOf(endpoint, index);
  if (address === null) problems.push(`the address "${url.slice(0, 120)}" has no host and port`);
  if (route.kind === 'problem') problems.push(route.reason);

  const target = route.kind === 'route' ? route.target : '';
  const targetAddr = route.kind === 'route' ? route.targetAddr : null;
  const fromHost = targetAddr === null ? { device: null, site: null } : namesFromHost(targetAddr.host);
  const fromAgent = target === '' ? null : agentSite(target, index);

  const site: Named =
    hints.site !== undefined
      ? { name: hints.site, source: Source.Metadata }
      : fromHost.site !== null
        ? { name: fromHost.site, source: Source.TargetHost }
        : fromAgent !== null
          ? { name: fromAgent, source: Source.Agent }
          : { name: UNASSIGNED_SITE.name, source: Source.Fallback };
  const device: Named =
    hints.device !== undefined
      ? { name: hints.device, source: Source.Metadata }
      : fromHost.device !== null
        ? { name: fromHost.device, source: Source.TargetHost }
        : { name: address ? `${address.host}:${address.port}` : url.slice(0, 100), source: Source.Fallback };

  return {
    site,
    device,
    kind: kindOf(hints.protocol, targetAddr?.port ?? null),
    address,
    target,
    targetPort: targetAddr?.port ?? null,
    online: target !== '' && index.agentsByUrl.has(target),
    allow: route.kind === 'route' ? [...route.allow] : [],
    deny: route.kind === 'route' ? [...route.deny] : [],
    username: hints.username ?? null,
    problem: problems.length > 0 ? sentence(problems) : null,
  };
}

function sentence(problems: string[]): string {
  const joined = problems.join('; ');
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)}.`;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Best source first, then a fixed order, so the displayed name does not depend on API list order. */
function pickName(names: Named[]): string {
  const best = [...names].sort(
    (a, b) =>
      a.source - b.source ||
      collator.compare(a.name, b.name) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return (best[0] as Named).name;
}

function byName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function addressKey(d: Draft): string {
  return d.address ? `${d.address.host}:${String(d.address.port).padStart(5, '0')}` : '';
}

/** "ssh" when it is the device's only SSH service, else "ssh-<target port>", then "-2", "-3" for exact twins. */
function serviceIds(deviceId: string, drafts: Draft[]): string[] {
  const perKind = new Map<ServiceKind, number>();
  for (const d of drafts) perKind.set(d.kind, (perKind.get(d.kind) ?? 0) + 1);
  const used = new Set<string>();
  return drafts.map((d) => {
    const port = d.targetPort ?? d.address?.port ?? 0;
    const base = `${deviceId}/${(perKind.get(d.kind) ?? 0) > 1 ? `${d.kind}-${port}` : d.kind}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

function buildDevice(siteId: string, deviceId: string, name: string, drafts: Draft[]): Device {
  const sorted = [...drafts].sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.targetPort ?? 0) - (b.targetPort ?? 0) ||
      (addressKey(a) < addressKey(b) ? -1 : addressKey(a) > addressKey(b) ? 1 : 0) ||
      (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
  );
  const ids = serviceIds(deviceId, sorted);
  const services: Service[] = sorted.map((d, i) => ({
    id: ids[i] as string,
    deviceId,
    kind: d.kind,
    host: d.address?.host ?? '',
    port: d.address?.port ?? 0,
    target: d.target,
    online: d.online,
    allow: d.allow,
    deny: d.deny,
    username: d.username,
    problem: d.problem,
    offlineReason: d.online
      ? null
      : d.problem !== null
        ? 'unresolved'
        : d.target === ''
          ? 'no_internal_endpoint'
          : 'agent_offline',
  }));
  return {
    id: deviceId,
    siteId,
    name,
    // A device is online when any of its services' targets is being served.
    online: services.some((s) => s.online),
    services,
  };
}

/** Group key of the Unassigned site; nameKey() never yields a "/". */
const UNASSIGNED_KEY = '/unassigned';

function sortedKeys<V>(map: Map<string, V>): string[] {
  return [...map.keys()].sort();
}

export function resolveDirectory(objects: AccountObjects): Directory {
  const index = indexAccount(objects);
  // Grouped by name key, so spellings of one site or device merge (resolve-ids.ts).
  const bySite = new Map<string, Map<string, Draft[]>>();
  for (const endpoint of index.cloudEndpoints) {
    const draft = draftOf(endpoint, index);
    if (draft === null) continue;
    const siteKey = draft.site.source === Source.Fallback ? UNASSIGNED_KEY : nameKey(draft.site.name);
    const deviceKey = nameKey(draft.device.name);
    const devices = bySite.get(siteKey) ?? new Map<string, Draft[]>();
    bySite.set(siteKey, devices);
    const list = devices.get(deviceKey) ?? [];
    devices.set(deviceKey, list);
    list.push(draft);
  }

  // Sites whose agent is connected: an agent can be online while none of its devices is published.
  const sitesWithAgent = new Set<string>();
  for (const session of index.sessions.values()) {
    const name = sessionSite(session, index);
    if (name !== null) sitesWithAgent.add(nameKey(name));
  }

  const siteKeys = sortedKeys(bySite);
  const siteNames = siteKeys.map((key) =>
    key === UNASSIGNED_KEY
      ? UNASSIGNED_SITE.name
      : pickName([...(bySite.get(key) as Map<string, Draft[]>).values()].flat().map((d) => d.site)),
  );
  const siteIds = uniqueIds(
    siteKeys.map((key, i) => (key === UNASSIGNED_KEY ? UNASSIGNED_SITE.id : slugify(siteNames[i] as string))),
  );

  const sites: Site[] = siteKeys.map((siteKey, i) => {
    const siteId = siteIds[i] as string;
    const byDevice = bySite.get(siteKey) as Map<string, Draft[]>;
    const deviceKeys = sortedKeys(byDevice);
    const deviceNames = deviceKeys.map((key) =>
      pickName((byDevice.get(key) as Draft[]).map((d) => d.device)),
    );
    const deviceIds = uniqueIds(deviceNames.map((name) => `${siteId}/${slugify(name)}`));
    const devices = deviceKeys
      .map((key, j) =>
        buildDevice(siteId, deviceIds[j] as string, deviceNames[j] as string, byDevice.get(key) as Draft[]),
      )
      .sort(byName);
    return {
      id: siteId,
      name: siteNames[i] as string,
      online: devices.some((d) => d.online) || (siteKey !== UNASSIGNED_KEY && sitesWithAgent.has(siteKey)),
      // Filled in by the sync from the sync time (the resolver has no clock).
      agentLastSeenAt: null,
      devices,
    };
  });
  // Unassigned last: it is the leftovers, not a customer.
  sites.sort(
    (a, b) => Number(a.id === UNASSIGNED_SITE.id) - Number(b.id === UNASSIGNED_SITE.id) || byName(a, b),
  );
  return { sites };
}
