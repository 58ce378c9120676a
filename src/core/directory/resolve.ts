// The directory resolver (docs/directory-rules.md): account objects in, sites → devices → services out.
// Pure and total: no I/O, never throws on any input; a malformed policy or metadata makes one service
// "unresolved" (Service.problem) and leaves the rest of the directory intact. Its only other input is the last
// good directory (what offline agents can no longer say), so it stays a pure function of its arguments.
import type { Device, IpRuleList, Service, ServiceKind, Site } from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import { schemeOf, SERVICE_SCHEMES, urlKey } from './resolve-address';
import type { ChainTarget } from './resolve-chain';
import { followTargets } from './resolve-chain';
import { distinctCopy, intersectAllow } from './resolve-cidr';
import type { Draft, Named } from './resolve-draft';
import { Source, UNASSIGNED_SITE } from './resolve-draft';
import { nameKey } from './resolve-ids';
import { kindFrom, upstreamPort } from './resolve-kind';
import type { NameHints } from './resolve-metadata';
import { readMetadata } from './resolve-metadata';
import { agentSite, namesFromHost, sessionSite } from './resolve-names';
import type { Gate, PlanRoute, PlanTarget } from './resolve-policy';
import { gateId, gatesOf, planOf } from './resolve-policy';
import type { AccountIndex, AccountLists, Rec } from './resolve-read';
import { accountLists, endpointFacts, field, indexSteps, LIST_NAMES, refId, text } from './resolve-read';
import { canonicalLists } from './resolve-canon';
import { assembleSteps } from './resolve-output';
import type { ChangedLookup, KeyedLookup, LookupLog, Reusable } from './resolve-reuse';
import { LookupWatch, sameMembers, stillValid, trackingIndex, trackingRemembered } from './resolve-reuse';

export { UNASSIGNED_SITE } from './resolve-draft';

export interface Directory {
  sites: Site[];
}

/** What the last good sync knew about a service, by address + path + target (remembered while offline). */
interface Remembered {
  kind: ServiceKind;
  siteName: string | null;
  deviceName: string;
}

interface Context {
  index: AccountIndex;
  remembered: KeyedLookup<Remembered>;
}

function rememberKey(host: string, port: number, path: string | null, target: string): string {
  return `${host.toLowerCase()}:${port}|${path ?? ''}|${urlKey(target) ?? target}`;
}

/** No problem: shared, never written (callers only read or spread it). */
const NO_PROBLEMS: readonly string[] = [];

function hintsOf(endpoint: Rec, index: AccountIndex): { hints: NameHints; problems: readonly string[] } {
  const own = readMetadata(field(endpoint, 'metadata'));
  const reserved = reservedOf(endpoint, index);
  const fromAddr = reserved === undefined ? null : readMetadata(field(reserved, 'metadata'));
  let problems = NO_PROBLEMS;
  if (own.problem !== null || (fromAddr !== null && fromAddr.problem !== null)) {
    const list: string[] = [];
    if (own.problem !== null) list.push(`the ${endpointWord(endpoint)}'s metadata ${own.problem}`);
    if (fromAddr !== null && fromAddr.problem !== null)
      list.push(`the reserved address's metadata ${fromAddr.problem}`);
    problems = list;
  }
  // Key by key, the endpoint's own metadata wins over its reserved address's. Hints are only read, so a memoized
  // object is shared when there is nothing to merge (most reserved addresses carry no metadata).
  if (fromAddr === null || noHints(fromAddr.hints)) return { hints: own.hints, problems };
  if (noHints(own.hints)) return { hints: fromAddr.hints, problems };
  return { hints: { ...fromAddr.hints, ...own.hints }, problems };
}

/** readMetadata's hints hold only these keys, each set only when present. */
function noHints(h: NameHints): boolean {
  return (
    h.site === undefined && h.device === undefined && h.protocol === undefined && h.username === undefined
  );
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
  const hp = endpointFacts(endpoint).hostPort;
  return hp === null ? undefined : index.reservedByAddr.get(`${hp.host}:${hp.port}`.toLowerCase());
}

/** Expands a restrict-ips' IP policies into its lists. */
function ruleList(gate: Gate, source: string, index: AccountIndex): IpRuleList {
  if (gate.ipPolicies.length === 0)
    // Nothing to add: the gate's own lists (a memoized plan's, never written, like the directory's) are shared.
    return {
      source,
      enforce: gate.enforce,
      conditional: gate.conditional,
      allow: gate.allow,
      deny: gate.deny,
      ipPolicies: [],
    };
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
    deny: distinctCopy(
      enforced.length === 1 ? (enforced[0] as IpRuleList).deny : enforced.flatMap((r) => r.deny),
    ),
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
  const facts = endpointFacts(first);
  const url = facts.url;
  const address = facts.hostPort;
  // parseHostPort's scheme is schemeOf's (the same pattern, lower-cased).
  const scheme = address === null ? schemeOf(url) : address.scheme;
  if (scheme === null || !SERVICE_SCHEMES.has(scheme)) return [];
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

  // Routes by path across pool members, in order of first appearance (members are in a stable order). A plan
  // mostly has one route: the lists are searched in order, and a Map by path is made only past a few of them.
  let byPath: Map<string, RouteView[]> | null = null;
  /** The lists by path in order of first appearance: indexed loops make no iterator objects before optimization. */
  const routeLists: RouteView[][] = [];
  let anyPlan = false;
  for (let m = 0; m < members.length; m++) {
    const member = members[m] as Rec;
    const plan = planOf(field(member, 'traffic_policy'), scheme);
    if (plan.kind === 'none') continue;
    anyPlan = true;
    if (plan.kind === 'problem') {
      problems.push(pooled ? `one pooled endpoint: ${plan.reason}` : plan.reason);
      continue;
    }
    for (let r = 0; r < plan.routes.length; r++) {
      const route = plan.routes[r] as PlanRoute;
      const key = route.path ?? '';
      let list = byPath === null ? listOfPath(routeLists, key) : byPath.get(key);
      if (list === undefined) {
        list = [];
        routeLists.push(list);
        if (byPath !== null) byPath.set(key, list);
        else if (routeLists.length > PATHS_SEARCHED) byPath = pathMap(routeLists, key);
      }
      let same: RouteView | undefined;
      for (let v = 0; v < list.length && same === undefined; v++)
        if ((list[v] as RouteView).member === member) same = list[v];
      if (same) same.plan.push(route);
      else list.push({ path: route.path, plan: [route], member });
    }
  }
  if (!anyPlan) return [];

  const deviceFallback = address ? `${address.host}:${address.port}` : url.slice(0, 100);
  if (routeLists.length === 0) {
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
  for (let p = 0; p < routeLists.length; p++) {
    const views = routeLists[p] as RouteView[];
    const path = (views[0] as RouteView).path;
    const targets: ChainTarget[] = [];
    /** The targets' keys, once a second target comes (most routes lead to one). */
    let seenTargets: Set<string> | null = null;
    const ipRules: IpRuleList[] = [];
    const perMember: Array<{ allow: string[] | null; deny: string[] }> = [];
    /** `problems` until a chain adds its own: copied then, not for every route. */
    let routeProblems = problems;
    for (let v = 0; v < views.length; v++) {
      const view = views[v] as RouteView;
      const memberRules: IpRuleList[] = [];
      for (let r = 0; r < view.plan.length; r++) {
        const route = view.plan[r] as PlanRoute;
        const chain = followTargets(route.targets, index);
        if (chain.problems.length > 0) {
          if (routeProblems === problems) routeProblems = [...problems];
          routeProblems.push(...chain.problems);
        }
        for (let g = 0; g < route.gates.length; g++)
          memberRules.push(ruleList(route.gates[g] as Gate, 'cloud endpoint', index));
        for (let g = 0; g < chain.gates.length; g++) {
          const sourced = chain.gates[g] as (typeof chain.gates)[number];
          memberRules.push(ruleList(sourced.gate, sourced.source, index));
        }
        for (let c = 0; c < chain.targets.length; c++) {
          const t = chain.targets[c] as ChainTarget;
          if (targets.length > 0) {
            if (seenTargets === null) seenTargets = new Set([targetKey(targets[0] as ChainTarget)]);
            const k = targetKey(t);
            if (seenTargets.has(k)) continue;
            seenTargets.add(k);
          }
          targets.push(t);
        }
      }
      perMember.push(effective(memberRules));
      for (let k = 0; k < memberRules.length; k++) {
        const r = memberRules[k] as IpRuleList;
        ipRules.push(pooled ? { ...r, source: `${r.source} (${refLabel(view.member)})` } : r);
      }
    }
    const primary = (views[0] as RouteView).plan[0]?.targets[0] as PlanTarget;
    const served = targets.find((t) => t.online);
    // Names and the port come from where the chain leads (through internal cloud endpoints), not from a router.
    // A chain target's addr is parseHostPort of its url (from the plan), so no memo lookup of the text here.
    const lead = (served ?? targets.find((t) => !t.deadEnd))?.addr ?? primary.addr;
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
    // One member: effective()'s lists are fresh and already without repeats, which is what intersectNullable and
    // distinctCopy would give again (a copy each per service, kept with the draft).
    const single =
      perMember.length === 1 ? (perMember[0] as { allow: string[] | null; deny: string[] }) : null;
    const allow = single !== null ? single.allow : intersectNullable(perMember.map((m) => m.allow));
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
      deny: single !== null ? single.deny : distinctCopy(perMember.flatMap((m) => m.deny)),
      ipRules,
      // A chain's via lists are made for it and never written (resolve-chain.ts): shared, not copied.
      targets: targets.map((t) => ({ url: t.url, online: t.online, via: t.via })),
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

/** Route lists searched one by one before cloudDrafts makes a Map of them by path. */
const PATHS_SEARCHED = 8;

function listOfPath(lists: RouteView[][], key: string): RouteView[] | undefined {
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l] as RouteView[];
    if (((list[0] as RouteView).path ?? '') === key) return list;
  }
  return undefined;
}

/** The lists by path; `added` is the path of the last list, still empty. */
function pathMap(lists: RouteView[][], added: string): Map<string, RouteView[]> {
  const map = new Map<string, RouteView[]>();
  for (let l = 0; l < lists.length - 1; l++) {
    const list = lists[l] as RouteView[];
    map.set((list[0] as RouteView).path ?? '', list);
  }
  map.set(added, lists[lists.length - 1] as RouteView[]);
  return map;
}

/** A chain target as cloudDrafts tells targets apart: one URL reached through the same internal endpoints. */
function targetKey(t: ChainTarget): string {
  return `${t.key ?? t.url}|${t.via.join(' ')}`;
}

/** A pool's drafts from the last resolve that computed them, by its first member (resolve-reuse.ts). */
const reusable = new WeakMap<Rec, Reusable<Draft>>();
/** The same for agent-bound services, by their first agent endpoint. */
const reusableAgentBound = new WeakMap<Rec, Reusable<Draft>>();

/**
 * Drafts of one group of endpoints (a pool, or the agents bound to one address): reused when the members are the
 * same objects and every lookup made for them answers the same (drafts are never mutated once made), else computed
 * through the tracking context and kept for next time. When the index and the remembered map are the very ones
 * the drafts were computed or last checked with, every lookup answers the same by construction.
 */
function reuseDrafts(
  memo: WeakMap<Rec, Reusable<Draft>>,
  members: Rec[],
  ctx: Context,
  tracked: Context,
  log: { current: LookupLog },
  compute: (members: Rec[], ctx: Context) => Draft[],
): Draft[] {
  const first = members[0] as Rec;
  const known = memo.get(first);
  if (known !== undefined && sameMembers(known.members, members)) {
    if (known.index === ctx.index && known.remembered === ctx.remembered) return known.drafts;
    if (watch.unchangedSinceLast(known) || stillValid(known.lookups, ctx.index, ctx.remembered, known)) {
      known.index = ctx.index;
      known.remembered = ctx.remembered;
      return known.drafts;
    }
  }
  log.current = [];
  tracked.index.sessionSites.clear();
  const drafts = compute(members, tracked);
  if (known !== undefined) watch.unregister(known);
  const made: Reusable<Draft> = {
    members: [...members],
    lookups: log.current,
    drafts,
    index: ctx.index,
    remembered: ctx.remembered,
  };
  watch.register(made);
  memo.set(first, made);
  return drafts;
}

/** Which groups looked up which key, for both memos above (resolve-reuse.ts). */
const watch = new LookupWatch<Draft>();

function refLabel(endpoint: Rec): string {
  return text(field(endpoint, 'id'), 200) ?? 'endpoint';
}

/**
 * A policy as compared between pooled agents. String() as before for anything printable; an object without a
 * prototype cannot be printed and threw here (found by the property test), so it gets a label of its own.
 */
function policyLabel(policy: unknown): string {
  try {
    return String(policy ?? '');
  } catch {
    return '\u0000unprintable';
  }
}

function agentBoundDrafts(agents: Rec[], ctx: Context): Draft[] {
  const d = agentBoundDraft(agents, ctx);
  return d === null ? [] : [d];
}

/** An agent endpoint bound straight to a reserved TCP address (no cloud endpoint in front): a service while listed. */
function agentBoundDraft(agents: Rec[], ctx: Context): Draft | null {
  const { index } = ctx;
  const first = agents[0] as Rec;
  const facts = endpointFacts(first);
  const url = facts.url;
  const address = facts.hostPort;
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
  const policies = new Set(agents.map((a) => policyLabel(field(a, 'traffic_policy'))));
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

/** Lower-case `host:port` of a draft's address, kept per draft (drafts are reused by identity). */
const addrKeys = new WeakMap<Draft, string | null>();

function addrKeyOf(d: Draft): string | null {
  let key = addrKeys.get(d);
  if (key === undefined) {
    key = d.address === null ? null : `${d.address.host}:${d.address.port}`.toLowerCase();
    addrKeys.set(d, key);
  }
  return key;
}

/** The remembered draft of a previous agent-bound service, by the service (directories are never mutated). */
const rememberedDrafts = new WeakMap<
  Service,
  { siteName: string; siteId: string; deviceName: string; draft: Draft }
>();

/**
 * Agent-bound services of the last sync whose agent is now offline: ngrok no longer lists the endpoint, but the
 * reserved address is still there, so the service is kept (offline) rather than dropped with its favourites.
 */
function rememberedAgentBound(
  previous: readonly Site[],
  drafts: readonly Draft[],
  index: AccountIndex,
): Draft[] {
  const out: Draft[] = [];
  // Built only when the last directory has an agent-bound service (most accounts have none).
  let present: Set<string> | null = null;
  for (const site of previous) {
    if (!hasAgentBound(site.devices)) continue;
    for (const device of site.devices)
      for (const svc of device.services) {
        if (svc.details?.agentBound !== true) continue;
        if (present === null) {
          present = new Set();
          for (const d of drafts) {
            const key = addrKeyOf(d);
            if (key !== null) present.add(key);
          }
        }
        const addr = `${svc.host}:${svc.port}`.toLowerCase();
        if (present.has(addr) || !index.reservedByAddr.has(addr)) continue;
        present.add(addr);
        const known = rememberedDrafts.get(svc);
        if (
          known !== undefined &&
          known.siteName === site.name &&
          known.siteId === site.id &&
          known.deviceName === device.name
        ) {
          out.push(known.draft);
          continue;
        }
        const unassigned = site.id === UNASSIGNED_SITE.id;
        const draft: Draft = {
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
        };
        rememberedDrafts.set(svc, { siteName: site.name, siteId: site.id, deviceName: device.name, draft });
        out.push(draft);
      }
  }
  return out;
}

/** Whether a site's devices hold an agent-bound service, by the devices list (the sync service copies sites around it). */
const agentBoundIn = new WeakMap<readonly Device[], boolean>();

function hasAgentBound(devices: readonly Device[]): boolean {
  let known = agentBoundIn.get(devices);
  if (known === undefined) {
    known = devices.some((d) => d.services.some((svc) => svc.details?.agentBound === true));
    agentBoundIn.set(devices, known);
  }
  return known;
}

function sentence(problems: readonly string[]): string {
  const joined = [...new Set(problems)].join('; ');
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)}.`;
}

export interface ResolveOptions {
  /** The last good directory: remembered kinds and names while agents are offline, offline agent-bound services. */
  previous?: readonly Site[];
}

/** The remembered entries: built whole, or the last ones with a few devices changed (RememberedOverlay). */
type RememberedMap = KeyedLookup<Remembered>;

/** No previous directory: nothing remembered (one shared map, never written). */
const NOTHING_REMEMBERED = new Map<string, Remembered>();

/** By the identity of the last good sites: a directory is never mutated once built, and re-resolves reuse it. */
const rememberedMemo = new WeakMap<readonly Site[], RememberedMap>();

/** A device's remembered entries, by the device and the name of its site (a device is never mutated). */
const deviceEntries = new WeakMap<
  Device,
  { siteName: string | null; entries: Array<[string, Remembered]> }
>();

/**
 * The last remembered entries built, with what they were built from (each device and its site's name, in order):
 * the sync service hands back copies of the last sites around the same devices, so an unchanged directory gives
 * the same entries. `at` is the device (its pair's index in `from`) each key was taken from, `shared` the keys more
 * than one service gave; `depth` counts the overlays on the last whole map.
 */
interface RememberedBuild {
  from: Array<Device | string | null>;
  map: RememberedMap;
  at: Map<string, number>;
  shared: Set<string>;
  depth: number;
}

/**
 * The last entries with a few keys changed (an agent offline changes its own site's devices only): asked first,
 * then the entries below. Never mutated once made. Past MAX_OVERLAYS the chain is folded into one Map (`flat`);
 * `base` and the changed keys still tell the lookup watch (resolve-reuse.ts) what changed since the last entries.
 */
class RememberedOverlay implements ChangedLookup<Remembered> {
  /** The entries below: held strongly while asked, weakly once folded (else every fold would keep the last chain). */
  private readonly base: RememberedMap | null;
  private readonly baseRef: WeakRef<RememberedMap>;
  private readonly flat: Map<string, Remembered> | null;

  constructor(
    base: RememberedMap,
    private readonly changes: Map<string, Remembered | undefined>,
    readonly depth: number,
  ) {
    this.flat = depth > MAX_OVERLAYS ? folded(base, changes) : null;
    this.base = this.flat === null ? base : null;
    this.baseRef = new WeakRef(base);
  }

  get(key: string): Remembered | undefined {
    if (this.flat !== null) return this.flat.get(key);
    const value = this.changes.get(key);
    return value !== undefined || this.changes.has(key) ? value : (this.base as RememberedMap).get(key);
  }

  changesSince(before: KeyedLookup<Remembered>): Iterable<string> | null {
    return this.baseRef.deref() === before ? this.changes.keys() : null;
  }

  /** The Map under a chain and the changes above it, oldest first. */
  static unfold(top: RememberedMap): {
    bottom: Map<string, Remembered>;
    layers: Array<Map<string, Remembered | undefined>>;
  } {
    const layers: Array<Map<string, Remembered | undefined>> = [];
    let at = top;
    while (at instanceof RememberedOverlay && at.flat === null) {
      layers.unshift(at.changes);
      at = at.base as RememberedMap;
    }
    return {
      bottom:
        at instanceof RememberedOverlay
          ? (at.flat as Map<string, Remembered>)
          : (at as Map<string, Remembered>),
      layers,
    };
  }
}

function folded(base: RememberedMap, changes: Map<string, Remembered | undefined>): Map<string, Remembered> {
  const { bottom, layers } = RememberedOverlay.unfold(base);
  const flat = new Map(bottom);
  for (const layer of [...layers, changes])
    for (const [key, value] of layer) {
      if (value === undefined) flat.delete(key);
      else flat.set(key, value);
    }
  return flat;
}

const MAX_OVERLAYS = 8;

let lastRemembered: RememberedBuild | null = null;

function rememberedOf(previous: readonly Site[] | undefined): RememberedMap {
  if (previous === undefined) return NOTHING_REMEMBERED;
  const known = rememberedMemo.get(previous);
  if (known !== undefined) return known;
  const from: Array<Device | string | null> = [];
  for (const site of previous) {
    const siteName = site.id === UNASSIGNED_SITE.id ? null : site.name;
    for (const device of site.devices) from.push(siteName, device);
  }
  const last = lastRemembered;
  let build: RememberedBuild | null = null;
  if (last !== null && last.from.length === from.length) {
    const changed = changedPairs(last.from, from);
    build =
      changed === null
        ? { ...last, from }
        : changed.length <= from.length / 16
          ? patchRemembered(last, from, changed)
          : null;
  }
  build ??= readRemembered(from);
  lastRemembered = build;
  rememberedMemo.set(previous, build.map);
  return build.map;
}

/** The pairs (site name, device) that differ between two lists of one length, by index; null when none does. */
function changedPairs(
  before: Array<Device | string | null>,
  after: Array<Device | string | null>,
): number[] | null {
  let i = 0;
  while (i < after.length && after[i] === before[i]) i++;
  if (i === after.length) return null;
  const changed: number[] = [];
  for (i -= i % 2; i < after.length; i += 2)
    if (after[i] !== before[i] || after[i + 1] !== before[i + 1]) changed.push(i);
  return changed;
}

function entriesOf(from: Array<Device | string | null>, i: number): Array<[string, Remembered]> {
  const siteName = from[i] as string | null;
  const device = from[i + 1] as Device;
  let known = deviceEntries.get(device);
  if (known === undefined || known.siteName !== siteName) {
    const entries: Array<[string, Remembered]> = [];
    for (let s = 0; s < device.services.length; s++) {
      const svc = device.services[s] as Service;
      if (svc.target === '') continue;
      entries.push([
        rememberKey(svc.host, svc.port, svc.path ?? null, svc.target),
        { kind: svc.kind, siteName, deviceName: device.name },
      ]);
    }
    known = { siteName, entries };
    deviceEntries.set(device, known);
  }
  return known.entries;
}

function readRemembered(from: Array<Device | string | null>): RememberedBuild {
  const map = new Map<string, Remembered>();
  const at = new Map<string, number>();
  const shared = new Set<string>();
  for (let i = 0; i < from.length; i += 2) {
    // Indexed, not `for (const [key, value] of …)`: destructuring makes iterator objects in the unoptimized tiers.
    const entries = entriesOf(from, i);
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e] as [string, Remembered];
      const key = entry[0];
      const value = entry[1];
      if (at.has(key)) shared.add(key);
      map.set(key, value);
      at.set(key, i);
    }
  }
  return { from, map, at, shared, depth: 0 };
}

/**
 * The last entries with a few devices replaced: an overlay without the old devices' keys and with the new ones'.
 * Null (build it whole) when a key is given by more than one service, old or new, since which one wins then
 * depends on the order of all of them.
 */
function patchRemembered(
  last: RememberedBuild,
  from: Array<Device | string | null>,
  changed: number[],
): RememberedBuild | null {
  const changing = new Set(changed);
  const added = new Set<string>();
  for (const i of changed) {
    for (const [key] of entriesOf(last.from, i)) if (last.shared.has(key)) return null;
    for (const [key] of entriesOf(from, i)) {
      const owner = last.at.get(key);
      if (last.shared.has(key) || added.has(key) || (owner !== undefined && !changing.has(owner)))
        return null;
      added.add(key);
    }
  }
  // `at` is only ever read from the latest build, so it is updated in place.
  const changes = new Map<string, Remembered | undefined>();
  for (const i of changed)
    for (const [key] of entriesOf(last.from, i)) {
      changes.set(key, undefined);
      last.at.delete(key);
    }
  for (const i of changed)
    for (const [key, value] of entriesOf(from, i)) {
      changes.set(key, value);
      last.at.set(key, i);
    }
  const map = new RememberedOverlay(last.map, changes, last.depth + 1);
  return { from, map, at: last.at, shared: last.shared, depth: map.depth > MAX_OVERLAYS ? 0 : map.depth };
}

/** What the resolver derives from the records alone, before any policy is read. */
interface Prepared {
  lists: AccountLists;
  index: AccountIndex;
  /** Public cloud endpoints by URL: one pool, one service (ngrok balances between them). */
  pools: Rec[][];
  /** Name keys of the sites whose own agent is connected. */
  sitesWithAgent: Set<string>;
  tracked: AccountIndex;
  log: { current: LookupLog };
  /** The drafts last made from these records, and the remembered map they were made with. */
  drafts: { remembered: RememberedMap; list: Draft[] } | null;
}

/** The last preparation: a re-resolve of the same records (kept or swapped in by resolve-canon.ts) reuses it. */
let lastPrepared: Prepared | null = null;

function sameLists(a: AccountLists, b: AccountLists): boolean {
  for (const name of LIST_NAMES) {
    const x = a[name];
    const y = b[name];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

function poolsOf(index: AccountIndex): Rec[][] {
  const byUrl = new Map<string, Rec[]>();
  for (const endpoint of index.cloudEndpoints) {
    const facts = endpointFacts(endpoint);
    const key = facts.key ?? `raw:${facts.url}`;
    const list = byUrl.get(key);
    if (list === undefined) byUrl.set(key, [endpoint]);
    else list.push(endpoint);
  }
  return [...byUrl.values()];
}

/**
 * The preparation in steps (a yield between steps lets a sliced resolve give the event loop back): the same work
 * whether driven at once (resolveDirectory) or in slices (resolveInSlices).
 */
function* prepare(objects: AccountObjects, sliced: boolean): Generator<void, Prepared> {
  const lists = canonicalLists(accountLists(objects));
  const last = lastPrepared;
  if (last !== null && sameLists(last.lists, lists)) return last;
  yield;
  const index = yield* indexSteps(lists, sliced);
  yield;
  // The sorted cloud endpoints are the last ones (same array) when no cloud endpoint changed.
  const pools =
    last !== null && last.index.cloudEndpoints === index.cloudEndpoints ? last.pools : poolsOf(index);
  // Sites whose agent is connected: an agent can be online while none of its devices is published.
  const sitesWithAgent = new Set<string>();
  for (const session of index.sessions.values()) {
    const name = sessionSite(session, index);
    if (name !== null) sitesWithAgent.add(nameKey(name));
  }
  const log: { current: LookupLog } = { current: [] };
  const prepared: Prepared = {
    lists,
    index,
    pools,
    sitesWithAgent,
    tracked: trackingIndex(index, log),
    log,
    drafts: null,
  };
  lastPrepared = prepared;
  return prepared;
}

/** Groups (pools, agent-bound addresses) between two yields of a sliced resolve: a few ms each, even cold. */
const GROUPS_PER_SLICE = 256;

/**
 * Resolves begun in this module instance. Every resolve goes through the module's memos (canon, index parts, drafts,
 * lookup watch, output), so a sliced resolve stops for good when another one began while it waited: a round of the
 * lookup watch then never ends, which leaves the watch as it was before that round (resolve-reuse.ts), and every
 * group it touched is stamped with maps the next round does not take on trust.
 */
let resolvesBegun = 0;
/** Resolves begun so far: the idle warm-up (idle-warmup.ts) stops for good once another one begins. */
export const resolvesBegunSoFar = (): number => resolvesBegun;

function* resolveSteps(
  objects: AccountObjects,
  options: ResolveOptions,
  groupsPerSlice: number,
): Generator<void, Directory> {
  const sliced = groupsPerSlice !== Infinity;
  const prepared = yield* prepare(objects, sliced);
  yield;
  const remembered = rememberedOf(options.previous);
  yield;
  // The same records and the same remembered map: every group's drafts are the ones made last time.
  const known = prepared.drafts !== null && prepared.drafts.remembered === remembered;
  const groupDrafts = known
    ? (prepared.drafts as { list: Draft[] }).list
    : yield* makeDrafts(prepared, remembered, groupsPerSlice);
  prepared.drafts = { remembered, list: groupDrafts };
  const drafts =
    options.previous === undefined
      ? groupDrafts
      : [...groupDrafts, ...rememberedAgentBound(options.previous, groupDrafts, prepared.index)];
  yield;
  return { sites: yield* assembleSteps(drafts, prepared.sitesWithAgent, sliced) };
}

export function resolveDirectory(objects: AccountObjects, options: ResolveOptions = {}): Directory {
  resolvesBegun++;
  const steps = resolveSteps(objects, options, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * The same resolve, one slice per call of the returned function (issue 12, item 5: a resolve prepared under a
 * sync's network wait, so that the resolve of the answer reuses its memos and drafts). Each call answers 'more',
 * 'done' (with the directory, the one resolveDirectory gives), or 'stopped' when another resolve began since the
 * last slice (nothing more is done; the memos stay consistent, see resolvesBegun).
 */
export function resolveInSlices(
  objects: AccountObjects,
  options: ResolveOptions = {},
  groupsPerSlice = GROUPS_PER_SLICE,
): () => { state: 'more' | 'stopped' } | { state: 'done'; directory: Directory } {
  const mine = ++resolvesBegun;
  const steps = resolveSteps(objects, options, Math.max(1, Math.floor(groupsPerSlice)));
  let finished = false;
  return () => {
    if (finished || resolvesBegun !== mine) {
      finished = true;
      return { state: 'stopped' };
    }
    const step = steps.next();
    if (step.done !== true) return { state: 'more' };
    finished = true;
    return { state: 'done', directory: step.value };
  };
}

function* makeDrafts(
  prepared: Prepared,
  remembered: RememberedMap,
  groupsPerSlice: number,
): Generator<void, Draft[]> {
  const { index, pools, log } = prepared;
  const ctx: Context = { index, remembered };
  const tracked: Context = { index: prepared.tracked, remembered: trackingRemembered(remembered, log) };
  const drafts: Draft[] = [];
  const bound = index.agentBoundByKey.size === 0 ? [] : [...index.agentBoundByKey.values()];
  watch.begin(
    index,
    remembered,
    pools.length + bound.length,
    !anyKnown(reusable, pools) && !anyKnown(reusableAgentBound, bound),
  );
  for (let from = 0; from < pools.length; from += groupsPerSlice) {
    if (from > 0) yield;
    draftsOf(
      reusable,
      cloudDrafts,
      pools,
      from,
      Math.min(pools.length, from + groupsPerSlice),
      ctx,
      tracked,
      log,
      drafts,
    );
  }
  for (let from = 0; from < bound.length; from += groupsPerSlice) {
    yield;
    draftsOf(
      reusableAgentBound,
      agentBoundDrafts,
      bound,
      from,
      Math.min(bound.length, from + groupsPerSlice),
      ctx,
      tracked,
      log,
      drafts,
    );
  }
  watch.end(index, remembered);
  return drafts;
}

/** Whether some group's first member has drafts from an earlier resolve (the memos are keyed by it). */
function anyKnown(memo: WeakMap<Rec, Reusable<Draft>>, groups: Rec[][]): boolean {
  for (let i = 0; i < groups.length; i++) if (memo.has((groups[i] as Rec[])[0] as Rec)) return true;
  return false;
}

/** The drafts of groups [from, to), appended to `out`. A plain function for the optimizer (resolve-read.ts readRoles). */
function draftsOf(
  memo: WeakMap<Rec, Reusable<Draft>>,
  compute: (members: Rec[], ctx: Context) => Draft[],
  groups: Rec[][],
  from: number,
  to: number,
  ctx: Context,
  tracked: Context,
  log: { current: LookupLog },
  out: Draft[],
): void {
  for (let i = from; i < to; i++)
    for (const d of reuseDrafts(memo, groups[i] as Rec[], ctx, tracked, log, compute)) out.push(d);
}
