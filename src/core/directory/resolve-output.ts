// From drafts to the sites → devices → services a technician sees: grouping by name key, names, ids, order
// (docs/directory-rules.md, "Names"). A re-resolve rebuilds a device or a site only when its drafts changed:
// drafts are reused by identity (resolve-reuse.ts), so a device whose drafts are the same objects, under the same
// id, name and site state, is the very device of the last result (issue 12, item 5). Directories are never
// mutated, so two of them may share devices and sites.
import type { Device, Service, ServiceKind, Site } from '../../shared/directory-types';
import type { Draft, Named } from './resolve-draft';
import { Source, UNASSIGNED_SITE } from './resolve-draft';
import { nameKey, slugify, uniqueIds } from './resolve-ids';
import { KIND_ORDER } from './resolve-kind';

/** Group key of the Unassigned site; nameKey() never yields a "/". */
export const UNASSIGNED_KEY = '/unassigned';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compareNamed(a: Named, b: Named): number {
  if (a.source !== b.source) return a.source - b.source;
  if (a.name === b.name) return 0;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : 1);
}

/**
 * Best source first, then a fixed order, so the displayed name does not depend on API list order. The first of
 * the smallest, as a stable sort would put first, found in one pass (most names of a group are one text).
 */
function pickName(lists: Iterable<Draft[]>, which: 'site' | 'device'): string {
  let best: Named | null = null;
  for (const list of lists)
    for (const d of list) {
      const n = d[which];
      if (best === null || compareNamed(n, best) < 0) best = n;
    }
  return (best as Named).name;
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
    // Path routes of one web address differ by path, not by port.
    const suffix = d.path !== null ? slugify(d.path) : String(port);
    const base = `${deviceId}/${(perKind.get(d.kind) ?? 0) > 1 ? `${d.kind}-${suffix}` : d.kind}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

function offlineReason(d: Draft, siteAgentOnline: boolean): Service['offlineReason'] {
  if (d.online) return null;
  if (d.problem !== null) return 'unresolved';
  if (d.noEndpoint) return 'no_internal_endpoint';
  // The site's agent is connected but lists no endpoint for any target: the endpoint is missing, not the agent.
  if (siteAgentOnline && !d.agentBound) return 'no_internal_endpoint';
  return 'agent_offline';
}

function buildDevice(
  siteId: string,
  deviceId: string,
  name: string,
  drafts: Draft[],
  siteAgentOnline: boolean,
): Device {
  // Most devices have one or two services; the address key is computed once per draft, not per comparison.
  const sorted =
    drafts.length === 1
      ? drafts
      : drafts
          .map((d) => ({ d, addr: addressKey(d) }))
          .sort(
            ({ d: a, addr: aa }, { d: b, addr: ba }) =>
              KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
              (a.targetPort ?? 0) - (b.targetPort ?? 0) ||
              (aa < ba ? -1 : aa > ba ? 1 : 0) ||
              ((a.path ?? '') < (b.path ?? '') ? -1 : (a.path ?? '') > (b.path ?? '') ? 1 : 0) ||
              (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
          )
          .map((x) => x.d);
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
    offlineReason: offlineReason(d, siteAgentOnline),
    path: d.path,
    details: {
      targets: d.targets,
      ipRules: d.ipRules,
      pooled: d.pooled,
      pooledPoliciesDiffer: d.pooledPoliciesDiffer,
      agentBound: d.agentBound,
      kindFrom: d.kindFrom,
    },
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

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface DeviceMemo {
  siteId: string;
  id: string;
  name: string;
  agentOnline: boolean;
  drafts: Draft[];
  device: Device;
}

interface SiteMemo {
  id: string;
  name: string;
  agentOnline: boolean;
  deviceKeys: string[];
  lists: Draft[][];
  site: Site;
}

/** By the first draft of the group: drafts are reused by identity, so an unchanged group finds its last output. */
const deviceMemo = new WeakMap<Draft, DeviceMemo>();
const siteMemo = new WeakMap<Draft, SiteMemo>();
/**
 * The last sort of the site list, as positions: the order depends only on each site's id and name (ids are unique,
 * so there are no ties), and comparing names with a collator costs more than checking they are the same.
 */
let lastOrder: { ids: string[]; names: string[]; positions: number[] } | null = null;

function deviceOf(siteId: string, id: string, name: string, drafts: Draft[], agentOnline: boolean): Device {
  const first = drafts[0] as Draft;
  const known = deviceMemo.get(first);
  if (
    known !== undefined &&
    known.siteId === siteId &&
    known.id === id &&
    known.name === name &&
    known.agentOnline === agentOnline &&
    sameList(known.drafts, drafts)
  )
    return known.device;
  const device = buildDevice(siteId, id, name, drafts, agentOnline);
  deviceMemo.set(first, { siteId, id, name, agentOnline, drafts, device });
  return device;
}

function siteOf(
  siteId: string,
  siteName: string,
  byDevice: Map<string, Draft[]>,
  agentOnline: boolean,
): Site {
  const deviceKeys = [...byDevice.keys()].sort();
  const lists = deviceKeys.map((key) => byDevice.get(key) as Draft[]);
  const first = (lists[0] as Draft[])[0] as Draft;
  const known = siteMemo.get(first);
  if (
    known !== undefined &&
    known.id === siteId &&
    known.name === siteName &&
    known.agentOnline === agentOnline &&
    sameList(known.deviceKeys, deviceKeys) &&
    known.lists.every((l, j) => sameList(l, lists[j] as Draft[]))
  )
    return known.site;
  const deviceNames = lists.map((list) => pickName([list], 'device'));
  const deviceIds = uniqueIds(deviceNames.map((name) => `${siteId}/${slugify(name)}`));
  const devices = lists
    .map((list, j) => deviceOf(siteId, deviceIds[j] as string, deviceNames[j] as string, list, agentOnline))
    .sort(byName);
  const site: Site = {
    id: siteId,
    name: siteName,
    // Online when an agent serving any of its services is connected, or its own agent has a session.
    online: devices.some((d) => d.online) || agentOnline,
    // Filled in by the sync from the sync time (the resolver has no clock).
    agentLastSeenAt: null,
    devices,
  };
  siteMemo.set(first, { id: siteId, name: siteName, agentOnline, deviceKeys, lists, site });
  return site;
}

/** Unassigned last: it is the leftovers, not a customer. */
function siteOrder(sites: Site[]): Site[] {
  const last = lastOrder;
  if (
    last !== null &&
    last.ids.length === sites.length &&
    sites.every((site, i) => site.id === last.ids[i] && site.name === last.names[i])
  )
    return last.positions.map((i) => sites[i] as Site);
  const positions = sites
    .map((_, i) => i)
    .sort((i, j) => {
      const a = sites[i] as Site;
      const b = sites[j] as Site;
      return Number(a.id === UNASSIGNED_SITE.id) - Number(b.id === UNASSIGNED_SITE.id) || byName(a, b);
    });
  lastOrder = { ids: sites.map((s) => s.id), names: sites.map((s) => s.name), positions };
  return positions.map((i) => sites[i] as Site);
}

/**
 * Sites from drafts, grouped by name key so spellings of one site or device merge (resolve-ids.ts).
 * `sitesWithAgent`: name keys of the sites whose own agent is connected.
 */
export function assembleSites(drafts: readonly Draft[], sitesWithAgent: ReadonlySet<string>): Site[] {
  const steps = assembleSteps(drafts, sitesWithAgent, false);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Sites built between two yields of a sliced resolve (resolve.ts resolveInSlices) when grouping afresh. */
const SITES_PER_SLICE = 32;

/** assembleSites in steps: a sliced resolve gives the event loop back between them (the same work either way). */
export function* assembleSteps(
  drafts: readonly Draft[],
  sitesWithAgent: ReadonlySet<string>,
  sliced: boolean,
): Generator<void, Site[]> {
  const last = lastAssembly;
  if (
    last !== null &&
    sameList(last.drafts, drafts) &&
    last.sitesWithAgent.size === sitesWithAgent.size &&
    [...sitesWithAgent].every((k) => last.sitesWithAgent.has(k))
  )
    return [...last.sites];
  const grouping =
    (last === null ? null : patched(last.grouping, last.drafts, drafts, sitesWithAgent)) ??
    (yield* grouped(drafts, sitesWithAgent, sliced));
  const sites = siteOrder(grouping.unsorted);
  lastAssembly = { drafts: [...drafts], sitesWithAgent, sites, grouping };
  return [...sites];
}

/** How the last drafts were grouped, by position, so a few changed drafts regroup only their own sites. */
interface Grouping {
  bySite: Map<string, Map<string, Draft[]>>;
  siteKeys: string[];
  siteNames: string[];
  siteIds: string[];
  agentOnline: boolean[];
  /** The sites in siteKeys order, before sorting. */
  unsorted: Site[];
  /** Per draft position: its site key, device key and place in its device's list. */
  siteKeyAt: string[];
  deviceKeyAt: string[];
  slotAt: number[];
}

/** The last assembly: the same drafts (all reused) and the same connected sites give the same sites. */
let lastAssembly: {
  drafts: Draft[];
  sitesWithAgent: ReadonlySet<string>;
  sites: Site[];
  grouping: Grouping;
} | null = null;

function siteKeyOf(d: Draft): string {
  return d.site.source === Source.Fallback ? UNASSIGNED_KEY : nameKey(d.site.name);
}

/** At most this many changed drafts are patched in; more, and grouping afresh is as cheap. */
const MAX_PATCHED = 2000;

/**
 * The last grouping with the drafts that changed put in their places, when each changed draft falls in the same
 * site and device group as the one it replaces: then the groups and their order are the ones grouping afresh would
 * give; the names of the sites holding a changed draft are picked again (a remembered name has another source than
 * a live one), ids are derived again, and only sites holding a changed draft, whose agent came or went, or whose id
 * changed are rebuilt. Null when that does not hold.
 */
function patched(
  last: Grouping,
  before: readonly Draft[],
  drafts: readonly Draft[],
  sitesWithAgent: ReadonlySet<string>,
): Grouping | null {
  if (before.length !== drafts.length) return null;
  const changed: number[] = [];
  for (let p = 0; p < drafts.length; p++) {
    if (drafts[p] === before[p]) continue;
    if (changed.length >= MAX_PATCHED) return null;
    const d = drafts[p] as Draft;
    if (siteKeyOf(d) !== last.siteKeyAt[p] || nameKey(d.device.name) !== last.deviceKeyAt[p]) return null;
    changed.push(p);
  }
  const agentOnline = last.siteKeys.map((key) => key !== UNASSIGNED_KEY && sitesWithAgent.has(key));
  const touched = new Set<string>();
  for (const p of changed) touched.add(last.siteKeyAt[p] as string);
  last.siteKeys.forEach((key, i) => {
    if (agentOnline[i] !== last.agentOnline[i]) touched.add(key);
  });
  const bySite = new Map(last.bySite);
  const lists = new Map<string, Map<string, Draft[]>>();
  for (const p of changed) {
    const siteKey = last.siteKeyAt[p] as string;
    let devices = lists.get(siteKey);
    if (devices === undefined) {
      devices = new Map(last.bySite.get(siteKey));
      lists.set(siteKey, devices);
      bySite.set(siteKey, devices);
    }
    const deviceKey = last.deviceKeyAt[p] as string;
    const list = devices.get(deviceKey) as Draft[];
    // A list already copied for an earlier change of this device is written again, not copied again.
    const copy = last.bySite.get(siteKey)?.get(deviceKey) === list ? [...list] : list;
    copy[last.slotAt[p] as number] = drafts[p] as Draft;
    devices.set(deviceKey, copy);
  }
  const siteNames = last.siteKeys.map((key, i) =>
    key === UNASSIGNED_KEY || !lists.has(key)
      ? (last.siteNames[i] as string)
      : pickName((bySite.get(key) as Map<string, Draft[]>).values(), 'site'),
  );
  const siteIds = uniqueIds(
    last.siteKeys.map((key, i) =>
      key === UNASSIGNED_KEY ? UNASSIGNED_SITE.id : slugify(siteNames[i] as string),
    ),
  );
  const unsorted = last.siteKeys.map((key, i) =>
    touched.has(key) || siteIds[i] !== last.siteIds[i] || siteNames[i] !== last.siteNames[i]
      ? siteOf(
          siteIds[i] as string,
          siteNames[i] as string,
          bySite.get(key) as Map<string, Draft[]>,
          agentOnline[i] as boolean,
        )
      : (last.unsorted[i] as Site),
  );
  return { ...last, bySite, siteNames, siteIds, agentOnline, unsorted };
}

/** Drafts by site key and device key, in order. A plain function for the optimizer (resolve-read.ts readRoles). */
function byKeys(drafts: readonly Draft[]): Pick<Grouping, 'bySite' | 'siteKeyAt' | 'deviceKeyAt' | 'slotAt'> {
  const bySite = new Map<string, Map<string, Draft[]>>();
  const siteKeyAt: string[] = [];
  const deviceKeyAt: string[] = [];
  const slotAt: number[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i] as Draft;
    const siteKey = siteKeyOf(draft);
    const deviceKey = nameKey(draft.device.name);
    let devices = bySite.get(siteKey);
    if (devices === undefined) {
      devices = new Map<string, Draft[]>();
      bySite.set(siteKey, devices);
    }
    let list = devices.get(deviceKey);
    if (list === undefined) {
      list = [];
      devices.set(deviceKey, list);
    }
    siteKeyAt.push(siteKey);
    deviceKeyAt.push(deviceKey);
    slotAt.push(list.length);
    list.push(draft);
  }
  return { bySite, siteKeyAt, deviceKeyAt, slotAt };
}

function* grouped(
  drafts: readonly Draft[],
  sitesWithAgent: ReadonlySet<string>,
  sliced: boolean,
): Generator<void, Grouping> {
  const { bySite, siteKeyAt, deviceKeyAt, slotAt } = byKeys(drafts);
  const siteKeys = [...bySite.keys()].sort();
  const siteNames = siteKeys.map((key) =>
    key === UNASSIGNED_KEY
      ? UNASSIGNED_SITE.name
      : pickName((bySite.get(key) as Map<string, Draft[]>).values(), 'site'),
  );
  const siteIds = uniqueIds(
    siteKeys.map((key, i) => (key === UNASSIGNED_KEY ? UNASSIGNED_SITE.id : slugify(siteNames[i] as string))),
  );
  const agentOnline = siteKeys.map((key) => key !== UNASSIGNED_KEY && sitesWithAgent.has(key));
  const unsorted: Site[] = [];
  for (let i = 0; i < siteKeys.length; i++) {
    if (sliced && i > 0 && i % SITES_PER_SLICE === 0) yield;
    unsorted.push(
      siteOf(
        siteIds[i] as string,
        siteNames[i] as string,
        bySite.get(siteKeys[i] as string) as Map<string, Draft[]>,
        agentOnline[i] as boolean,
      ),
    );
  }
  return { bySite, siteKeys, siteNames, siteIds, agentOnline, unsorted, siteKeyAt, deviceKeyAt, slotAt };
}
