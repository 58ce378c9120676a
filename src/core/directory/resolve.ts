// The directory resolver (docs/directory-rules.md): account objects in, sites → devices → services out.
// Pure and total: no I/O, never throws on any input; a malformed policy or metadata makes one service
// "unresolved" (Service.problem) and leaves the rest of the directory intact. Its only other input is the last
// good directory (what offline agents can no longer say), so it stays a pure function of its arguments.
import type {
  Device,
  IpRuleList,
  Service,
  ServiceKind,
  ServiceTarget,
  Site,
} from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import { parseHostPort, schemeOf, SERVICE_SCHEMES, urlKey } from './resolve-address';
import type { HostPort } from './resolve-address';
import type { ChainTarget } from './resolve-chain';
import { followTargets } from './resolve-chain';
import { intersectAllow } from './resolve-cidr';
import { nameKey, slugify, uniqueIds } from './resolve-ids';
import type { KindFrom } from './resolve-kind';
import { KIND_ORDER, kindFrom, upstreamPort } from './resolve-kind';
import type { NameHints } from './resolve-metadata';
import { readMetadata } from './resolve-metadata';
import { agentSite, namesFromHost, sessionSite } from './resolve-names';
import type { Gate, PlanRoute, PlanTarget } from './resolve-policy';
import { gateId, gatesOf, planOf } from './resolve-policy';
import type { AccountIndex, Rec } from './resolve-read';
import { field, indexAccount, refId, text } from './resolve-read';
import type { Lookup, Reusable } from './resolve-reuse';
import { sameMembers, stillValid, trackingIndex, trackingRemembered } from './resolve-reuse';

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
  kindFrom: KindFrom;
  address: HostPort | null;
  path: string | null;
  target: string;
  targetPort: number | null;
  online: boolean;
  allow: string[];
  deny: string[];
  ipRules: IpRuleList[];
  targets: ServiceTarget[];
  /** No target can ever be served: none at all, or only internal cloud endpoints that forward nowhere. */
  noEndpoint: boolean;
  pooled: boolean;
  pooledPoliciesDiffer: boolean;
  agentBound: boolean;
  username: string | null;
  problem: string | null;
}

/** What the last good sync knew about a service, by address + path + target (remembered while offline). */
interface Remembered {
  kind: ServiceKind;
  siteName: string | null;
  deviceName: string;
}

interface Context {
  index: AccountIndex;
  remembered: Map<string, Remembered>;
}

function rememberKey(host: string, port: number, path: string | null, target: string): string {
  return `${host.toLowerCase()}:${port}|${path ?? ''}|${urlKey(target) ?? target}`;
}

function hintsOf(endpoint: Rec, index: AccountIndex): { hints: NameHints; problems: string[] } {
  const own = readMetadata(field(endpoint, 'metadata'));
  const reserved = reservedOf(endpoint, index);
  const fromAddr =
    reserved === undefined ? { hints: {}, problem: null } : readMetadata(field(reserved, 'metadata'));
  const problems: string[] = [];
  if (own.problem !== null) problems.push(`the ${endpointWord(endpoint)}'s metadata ${own.problem}`);
  if (fromAddr.problem !== null) problems.push(`the reserved address's metadata ${fromAddr.problem}`);
  // Key by key, the endpoint's own metadata wins over its reserved address's. Hints are only read, so the memoized
  // object is shared when there is nothing to merge.
  if (reserved === undefined) return { hints: own.hints, problems };
  return { hints: { ...fromAddr.hints, ...own.hints }, problems };
}

function endpointWord(endpoint: Rec): string {
  return field(endpoint, 'type') === 'cloud' ? 'cloud endpoint' : 'agent endpoint';
}

/** The reserved address an endpoint is on: its tcp_addr Ref, else the address whose `addr` is its host:port. */
function reservedOf(endpoint: Rec, index: AccountIndex): Rec | undefined {
  const addrId = refId(field(endpoint, 'tcp_addr'));
  const byRef = addrId === null ? undefined : index.reservedAddrs.get(addrId);
  if (byRef !== undefined) return byRef;
  if (field(endpoint, 'type') === 'cloud') return undefined;
  const url = text(field(endpoint, 'url'), 2048);
  const hp = url === null ? null : parseHostPort(url);
  return hp === null ? undefined : index.reservedByAddr.get(`${hp.host}:${hp.port}`.toLowerCase());
}

/** Expands a restrict-ips' IP policies into its lists. */
function ruleList(gate: Gate, source: string, index: AccountIndex): IpRuleList {
  const allow = [...gate.allow];
  const deny = [...gate.deny];
  const ipPolicies = gate.ipPolicies.map((id) => {
    const p = index.ipPolicies.get(id);
    if (p !== undefined) {
      for (const c of p.allow) if (!allow.includes(c)) allow.push(c);
      for (const c of p.deny) if (!deny.includes(c)) deny.push(c);
    }
    return { id, description: p?.description ?? null, found: p !== undefined };
  });
  return { source, enforce: gate.enforce, conditional: gate.conditional, allow, deny, ipPolicies };
}

/**
 * The effective lists of one way in: allow = what every enforced restrict-ips allows (their intersection), deny =
 * what any of them denies. `null` allow = no enforced restrict-ips at all (anyone may connect).
 */
function effective(rules: IpRuleList[]): { allow: string[] | null; deny: string[] } {
  const enforced = rules.filter((r) => r.enforce);
  if (enforced.length === 0) return { allow: null, deny: [] };
  return {
    allow: intersectAllow(enforced.map((r) => r.allow)),
    deny: [...new Set(enforced.flatMap((r) => r.deny))],
  };
}

/** What every pool member allows (a connection may land on any of them); null = every member is open. */
function intersectNullable(lists: Array<string[] | null>): string[] | null {
  const restricted = lists.filter((l): l is string[] => l !== null);
  if (restricted.length === 0) return null;
  return intersectAllow(restricted);
}

interface RouteView {
  path: string | null;
  plan: PlanRoute[];
  member: Rec;
}

function siteAndDevice(
  hints: NameHints,
  agentHints: NameHints,
  fromHost: { device: string | null; site: string | null },
  fromAgent: string | null,
  fallbackDevice: string,
): { site: Named; device: Named } {
  const siteHint = hints.site ?? agentHints.site;
  const deviceHint = hints.device ?? agentHints.device;
  const site: Named =
    siteHint !== undefined
      ? { name: siteHint, source: Source.Metadata }
      : fromHost.site !== null
        ? { name: fromHost.site, source: Source.TargetHost }
        : fromAgent !== null
          ? { name: fromAgent, source: Source.Agent }
          : { name: UNASSIGNED_SITE.name, source: Source.Fallback };
  const device: Named =
    deviceHint !== undefined
      ? { name: deviceHint, source: Source.Metadata }
      : fromHost.device !== null
        ? { name: fromHost.device, source: Source.TargetHost }
        : { name: fallbackDevice, source: Source.Fallback };
  return { site, device };
}

/** Remembers, while a service's agents are offline, what only they could tell: kind and names (rule "Kind"). */
function applyRemembered(d: Draft, ctx: Context, cloudHints: NameHints): void {
  if (d.online || d.address === null) return;
  const prev = ctx.remembered.get(rememberKey(d.address.host, d.address.port, d.path, d.target));
  if (prev === undefined) return;
  if (d.kindFrom === 'target_port' && prev.kind !== d.kind) {
    d.kind = prev.kind;
    d.kindFrom = 'remembered';
  }
  if (cloudHints.site === undefined && prev.siteName !== null)
    d.site = { name: prev.siteName, source: Source.Agent };
  if (cloudHints.device === undefined) d.device = { name: prev.deviceName, source: Source.Agent };
}

/** The services of one public cloud address: one endpoint, or a pool of several on the same URL. */
function cloudDrafts(members: Rec[], ctx: Context): Draft[] {
  const { index } = ctx;
  const first = members[0] as Rec;
  const url = text(field(first, 'url'), 2048) as string;
  const scheme = schemeOf(url);
  if (scheme === null || !SERVICE_SCHEMES.has(scheme)) return [];
  const address = parseHostPort(url);
  const pooled = members.length > 1;
  let policiesDiffer = false;
  if (pooled) {
    const policyText = (m: Rec): unknown => {
      const p = field(m, 'traffic_policy');
      return typeof p === 'string' ? p : '';
    };
    const firstPolicy = policyText(first);
    policiesDiffer = members.some((m) => policyText(m) !== firstPolicy);
  }
  const problems: string[] = [];
  if (address === null) problems.push(`the address "${url.slice(0, 120)}" has no host and port`);

  const hintsRead = hintsOf(first, index);
  const hints = hintsRead.hints;
  problems.push(...hintsRead.problems);

  // Routes by path across pool members, in order of first appearance (members are in a stable order).
  const byPath = new Map<string, RouteView[]>();
  let anyPlan = false;
  for (const member of members) {
    const plan = planOf(field(member, 'traffic_policy'), scheme);
    if (plan.kind === 'none') continue;
    anyPlan = true;
    if (plan.kind === 'problem') {
      problems.push(pooled ? `one pooled endpoint: ${plan.reason}` : plan.reason);
      continue;
    }
    for (const route of plan.routes) {
      const key = route.path ?? '';
      const list = byPath.get(key) ?? [];
      byPath.set(key, list);
      const same = list.find((v) => v.member === member);
      if (same) same.plan.push(route);
      else list.push({ path: route.path, plan: [route], member });
    }
  }
  if (!anyPlan) return [];

  const deviceFallback = address ? `${address.host}:${address.port}` : url.slice(0, 100);
  if (byPath.size === 0) {
    // Nothing to follow: one unresolved service, so a broken policy is seen rather than dropped.
    const { site, device } = siteAndDevice(hints, {}, { device: null, site: null }, null, deviceFallback);
    const kind = kindFrom({ cloudProtocol: hints.protocol, targetPort: null });
    return [
      {
        site,
        device,
        kind: kind.kind,
        kindFrom: kind.from,
        address,
        path: null,
        target: '',
        targetPort: null,
        online: false,
        allow: [],
        deny: [],
        ipRules: [],
        targets: [],
        noEndpoint: true,
        pooled,
        pooledPoliciesDiffer: policiesDiffer,
        agentBound: false,
        username: hints.username ?? null,
        problem: sentence(problems),
      },
    ];
  }

  const drafts: Draft[] = [];
  for (const views of byPath.values()) {
    const path = (views[0] as RouteView).path;
    const targets: ChainTarget[] = [];
    const seenTargets = new Set<string>();
    const ipRules: IpRuleList[] = [];
    const perMember: Array<{ allow: string[] | null; deny: string[] }> = [];
    const routeProblems = [...problems];
    for (const view of views) {
      const memberRules: IpRuleList[] = [];
      for (const route of view.plan) {
        const chain = followTargets(route.targets, index);
        routeProblems.push(...chain.problems);
        for (const g of route.gates) memberRules.push(ruleList(g, 'cloud endpoint', index));
        for (const g of chain.gates) memberRules.push(ruleList(g.gate, g.source, index));
        for (const t of chain.targets) {
          const k = `${urlKey(t.url) ?? t.url}|${t.via.join(' ')}`;
          if (seenTargets.has(k)) continue;
          seenTargets.add(k);
          targets.push(t);
        }
      }
      perMember.push(effective(memberRules));
      for (const r of memberRules)
        ipRules.push(pooled ? { ...r, source: `${r.source} (${refLabel(view.member)})` } : r);
    }
    const primary = (views[0] as RouteView).plan[0]?.targets[0] as PlanTarget;
    const served = targets.find((t) => t.online);
    // Names and the port come from where the chain leads (through internal cloud endpoints), not from a router.
    const leadUrl = (served ?? targets.find((t) => !t.deadEnd))?.url;
    const lead = (leadUrl === undefined ? null : parseHostPort(leadUrl)) ?? primary.addr;
    const agent = served?.agents[0];
    const agentHints = agent === undefined ? {} : readMetadata(field(agent, 'metadata')).hints;
    const fromHost = namesFromHost(lead.host);
    const fromAgent = served === undefined ? null : agentSite(served.agents, index);
    const { site, device } = siteAndDevice(hints, agentHints, fromHost, fromAgent, deviceFallback);
    const kind = kindFrom({
      cloudProtocol: hints.protocol,
      agentProtocol: agentHints.protocol,
      upstreamPort: agent === undefined ? null : upstreamPort(field(agent, 'upstream_url')),
      targetPort: lead.port,
    });
    const allow = intersectNullable(perMember.map((m) => m.allow));
    const draft: Draft = {
      site,
      device,
      kind: kind.kind,
      kindFrom: kind.from,
      address,
      path,
      target: primary.url,
      targetPort: lead.port,
      online: served !== undefined,
      allow: allow ?? [],
      deny: [...new Set(perMember.flatMap((m) => m.deny))],
      ipRules,
      targets: targets.map((t) => ({ url: t.url, online: t.online, via: [...t.via] })),
      noEndpoint: targets.every((t) => t.deadEnd),
      pooled,
      pooledPoliciesDiffer: policiesDiffer,
      agentBound: false,
      username: hints.username ?? agentHints.username ?? null,
      problem: routeProblems.length > 0 ? sentence(routeProblems) : null,
    };
    applyRemembered(draft, ctx, hints);
    drafts.push(draft);
  }
  return drafts;
}

/** A pool's drafts from the last resolve that computed them, by its first member (resolve-reuse.ts). */
const reusable = new WeakMap<Rec, Reusable<Draft>>();

/**
 * A pool's drafts: reused when its members are the same objects and every lookup made for them answers the same
 * (drafts are never mutated once made), else computed through the tracking context and kept for next time.
 */
function poolDrafts(members: Rec[], ctx: Context, tracked: Context, log: { current: Lookup[] }): Draft[] {
  const first = members[0] as Rec;
  const known = reusable.get(first);
  if (
    known !== undefined &&
    sameMembers(known.members, members) &&
    stillValid(known.lookups, ctx.index, ctx.remembered)
  )
    return known.drafts;
  log.current = [];
  tracked.index.sessionSites.clear();
  const drafts = cloudDrafts(members, tracked);
  reusable.set(first, { members: [...members], lookups: log.current, drafts });
  return drafts;
}

function refLabel(endpoint: Rec): string {
  return text(field(endpoint, 'id'), 200) ?? 'endpoint';
}

/** An agent endpoint bound straight to a reserved TCP address (no cloud endpoint in front): a service while listed. */
function agentBoundDraft(agents: Rec[], ctx: Context): Draft | null {
  const { index } = ctx;
  const first = agents[0] as Rec;
  const url = text(field(first, 'url'), 2048) as string;
  const address = parseHostPort(url);
  if (address === null) return null;
  const { hints, problems } = hintsOf(first, index);
  const { site, device } = siteAndDevice(
    hints,
    {},
    { device: null, site: null },
    agentSite(agents, index),
    `${address.host}:${address.port}`,
  );
  const kind = kindFrom({
    agentProtocol: hints.protocol,
    upstreamPort: upstreamPort(field(first, 'upstream_url')),
    targetPort: null,
  });
  const ipRules: IpRuleList[] = [];
  const seen = new Set<string>();
  for (const agent of agents)
    for (const gate of gatesOf(field(agent, 'traffic_policy'), 'tcp')) {
      const id = gateId(gate);
      if (!seen.has(id)) {
        seen.add(id);
        ipRules.push(ruleList(gate, url, index));
      }
    }
  const eff = effective(ipRules);
  const policies = new Set(agents.map((a) => String(field(a, 'traffic_policy') ?? '')));
  return {
    site,
    device,
    kind: kind.kind,
    kindFrom: kind.from,
    address,
    path: null,
    target: url,
    targetPort: null,
    online: true,
    allow: eff.allow ?? [],
    deny: eff.deny,
    ipRules,
    targets: [{ url, online: true, via: [] }],
    noEndpoint: false,
    pooled: agents.length > 1,
    pooledPoliciesDiffer: policies.size > 1,
    agentBound: true,
    username: hints.username ?? null,
    problem: problems.length > 0 ? sentence(problems) : null,
  };
}

/**
 * Agent-bound services of the last sync whose agent is now offline: ngrok no longer lists the endpoint, but the
 * reserved address is still there, so the service is kept (offline) rather than dropped with its favourites.
 */
function rememberedAgentBound(previous: readonly Site[], present: Set<string>, index: AccountIndex): Draft[] {
  const out: Draft[] = [];
  for (const site of previous)
    for (const device of site.devices)
      for (const svc of device.services) {
        if (svc.details?.agentBound !== true) continue;
        const addr = `${svc.host}:${svc.port}`.toLowerCase();
        if (present.has(addr) || !index.reservedByAddr.has(addr)) continue;
        present.add(addr);
        const unassigned = site.id === UNASSIGNED_SITE.id;
        out.push({
          site: { name: site.name, source: unassigned ? Source.Fallback : Source.Metadata },
          device: { name: device.name, source: Source.Metadata },
          kind: svc.kind,
          kindFrom: 'remembered',
          address: { scheme: 'tcp', host: svc.host, port: svc.port },
          path: null,
          target: svc.target,
          targetPort: null,
          online: false,
          allow: [...svc.allow],
          deny: [...svc.deny],
          ipRules: svc.details.ipRules.map((r) => ({ ...r })),
          targets: [{ url: svc.target, online: false, via: [] }],
          noEndpoint: false,
          pooled: false,
          pooledPoliciesDiffer: false,
          agentBound: true,
          username: svc.username,
          problem: null,
        });
      }
  return out;
}

function sentence(problems: string[]): string {
  const joined = [...new Set(problems)].join('; ');
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

/** Group key of the Unassigned site; nameKey() never yields a "/". */
const UNASSIGNED_KEY = '/unassigned';

function sortedKeys<V>(map: Map<string, V>): string[] {
  return [...map.keys()].sort();
}

export interface ResolveOptions {
  /** The last good directory: remembered kinds and names while agents are offline, offline agent-bound services. */
  previous?: readonly Site[];
}

/** By the identity of the last good sites: a directory is never mutated once built, and re-resolves reuse it. */
const rememberedMemo = new WeakMap<readonly Site[], Map<string, Remembered>>();

function rememberedOf(previous: readonly Site[] | undefined): Map<string, Remembered> {
  if (previous === undefined) return new Map();
  const known = rememberedMemo.get(previous);
  if (known !== undefined) return known;
  const map = readRemembered(previous);
  rememberedMemo.set(previous, map);
  return map;
}

function readRemembered(previous: readonly Site[]): Map<string, Remembered> {
  const map = new Map<string, Remembered>();
  for (const site of previous)
    for (const device of site.devices)
      for (const svc of device.services) {
        if (svc.target === '') continue;
        map.set(rememberKey(svc.host, svc.port, svc.path ?? null, svc.target), {
          kind: svc.kind,
          siteName: site.id === UNASSIGNED_SITE.id ? null : site.name,
          deviceName: device.name,
        });
      }
  return map;
}

export function resolveDirectory(objects: AccountObjects, options: ResolveOptions = {}): Directory {
  const index = indexAccount(objects);
  const ctx: Context = { index, remembered: rememberedOf(options.previous) };
  const drafts: Draft[] = [];
  // Cloud endpoints on one URL are one pool: one service (ngrok balances between them).
  const pools = new Map<string, Rec[]>();
  for (const endpoint of index.cloudEndpoints) {
    const url = text(field(endpoint, 'url'), 2048) as string;
    const key = urlKey(url) ?? `raw:${url}`;
    const list = pools.get(key) ?? [];
    list.push(endpoint);
    pools.set(key, list);
  }
  const log: { current: Lookup[] } = { current: [] };
  const tracked: Context = {
    index: trackingIndex(index, log),
    remembered: trackingRemembered(ctx.remembered, log),
  };
  for (const members of pools.values()) drafts.push(...poolDrafts(members, ctx, tracked, log));
  for (const agents of index.agentBoundByKey.values()) {
    const d = agentBoundDraft(agents, ctx);
    if (d !== null) drafts.push(d);
  }
  if (options.previous !== undefined) {
    const present = new Set(
      drafts
        .filter((d) => d.address !== null)
        .map((d) => `${d.address?.host}:${d.address?.port}`.toLowerCase()),
    );
    drafts.push(...rememberedAgentBound(options.previous, present, index));
  }

  // Grouped by name key, so spellings of one site or device merge (resolve-ids.ts).
  const bySite = new Map<string, Map<string, Draft[]>>();
  for (const draft of drafts) {
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
    const agentOnline = siteKey !== UNASSIGNED_KEY && sitesWithAgent.has(siteKey);
    const deviceKeys = sortedKeys(byDevice);
    const deviceNames = deviceKeys.map((key) =>
      pickName((byDevice.get(key) as Draft[]).map((d) => d.device)),
    );
    const deviceIds = uniqueIds(deviceNames.map((name) => `${siteId}/${slugify(name)}`));
    const devices = deviceKeys
      .map((key, j) =>
        buildDevice(
          siteId,
          deviceIds[j] as string,
          deviceNames[j] as string,
          byDevice.get(key) as Draft[],
          agentOnline,
        ),
      )
      .sort(byName);
    return {
      id: siteId,
      name: siteNames[i] as string,
      // Online when an agent serving any of its services is connected, or its own agent has a session.
      online: devices.some((d) => d.online) || agentOnline,
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
