// From an endpoint's traffic policy to the routes SiteHop shows (docs/directory-rules.md): where it forwards
// (forward-internal URLs, in failover order), for which path (HTTPS routes by path), and which restrict-ips run
// before. Follows ngrok's execution order: rules in order, actions in order, a terminating action ends everything
// after it, and forward-internal with on_error: continue falls through to the next action when its target fails.
// Pure and memoized by (scheme, policy text): the chain through internal endpoints is followed by resolve-chain.ts.
import { parseTrafficPolicyPhases, readForwardInternal, readRestrictIps } from '../ngrok/traffic-policy';
import type { PolicyPhase, PolicyRule } from '../ngrok/traffic-policy';
import { trimmedUrlFacts } from './resolve-address';
import type { HostPort } from './resolve-address';

/** One restrict-ips action as written. Only enforced ones limit who connects; report-only ones are kept for display. */
export interface Gate {
  enforce: boolean;
  conditional: boolean;
  allow: string[];
  deny: string[];
  ipPolicies: string[];
}

export interface PlanTarget {
  url: string;
  addr: HostPort;
  /** urlKey(url), once per plan rather than once per chain followed. */
  key: string | null;
}

export interface PlanRoute {
  /** The request path this route serves (HTTPS, a rule conditioned on req.url.path), else null. */
  path: string | null;
  gates: Gate[];
  /** In failover order. */
  targets: PlanTarget[];
}

export type Plan =
  /** The policy never reaches forward-internal: not a service. */
  | { kind: 'none'; gates: Gate[] }
  | { kind: 'problem'; reason: string }
  | { kind: 'routes'; routes: PlanRoute[] };

/** ngrok caps policies far below this; a larger one is hostile or broken, and parsing it would stall the sync. */
const MAX_POLICY_CHARS = 256 * 1024;

const HTTP_PHASES: readonly PolicyPhase[] = ['on_tcp_connect', 'on_http_request', 'inbound'];
const TCP_PHASES: readonly PolicyPhase[] = ['on_tcp_connect', 'inbound'];

/** The phases an endpoint of this scheme runs, in order, with the legacy `inbound` where it stood. */
export function phasesFor(scheme: string): readonly PolicyPhase[] {
  return scheme === 'https' || scheme === 'http' ? HTTP_PHASES : TCP_PHASES;
}

const OTHER_PHASES: PolicyPhase[] = ['on_tcp_connect', 'on_http_request'];

/**
 * Memo of plans by (scheme, policy text). YAML parsing dominates resolving a large fleet (about 0.1 ms a policy),
 * and between two syncs almost every policy is unchanged. Plans are never mutated (callers copy the lists);
 * the bound keeps memory flat on accounts whose policies keep changing.
 */
const memo = new Map<string, Map<string, Plan>>();
const MEMO_MAX = 50_000;
let memoSize = 0;

/** The plan of no policy at all (most agent endpoints): one object, never written, like every plan. */
const NO_POLICY: Plan = { kind: 'none', gates: [] };

/** Some character trim() would keep: tested instead of trimming, which copies most policy texts (they end in "\n"). */
const NOT_BLANK = /\S/;

export function planOf(policy: unknown, scheme: string): Plan {
  if (typeof policy !== 'string' || !NOT_BLANK.test(policy)) return NO_POLICY;
  if (policy.length > MAX_POLICY_CHARS)
    return { kind: 'problem', reason: 'the traffic policy is too large to read' };
  const known = memo.get(scheme)?.get(policy);
  if (known !== undefined) return known;
  const plan = computePlan(policy, scheme);
  if (memoSize >= MEMO_MAX) {
    memo.clear();
    memoSize = 0;
  }
  const perScheme = memo.get(scheme) ?? new Map<string, Plan>();
  memo.set(scheme, perScheme);
  perScheme.set(policy, plan);
  memoSize++;
  return plan;
}

/** `req.url.path.startsWith('/api')` or `req.url.path == '/api'` in a rule's expressions, else null. */
export function pathOf(expressions: string[]): string | null {
  for (const e of expressions) {
    const m =
      /req\.url\.path\s*\.\s*startsWith\(\s*(["'])(\/[^"']{0,200})\1\s*\)/.exec(e) ??
      /req\.url\.path\s*==\s*(["'])(\/[^"']{0,200})\1/.exec(e);
    if (m) return m[2] as string;
  }
  return null;
}

type Step = { ok: true; target: PlanTarget; onError: 'halt' | 'continue' } | { ok: false; reason: string };

function forwardStep(action: PolicyRule['actions'][number]): Step {
  const fi = readForwardInternal(action);
  if (fi === null) return { ok: false, reason: 'the forward-internal action has no url' };
  if (fi.url.includes('${'))
    return {
      ok: false,
      reason: `the forward-internal url is computed per connection (${fi.url.slice(0, 120)}), so the device cannot be known`,
    };
  // fi.url is trimmed: its host/port and key (parseHostPort, urlKey) from one memo lookup of a new policy's text.
  const { hostPort: addr, key } = trimmedUrlFacts(fi.url);
  if (addr === null)
    return {
      ok: false,
      reason: `the forward-internal url "${fi.url.slice(0, 120)}" is not scheme://host:port`,
    };
  return { ok: true, target: { url: fi.url, addr, key }, onError: fi.onError };
}

/** The list without repeats, in order; the list itself when it has none (readRestrictIps' lists are fresh arrays). */
function distinct(list: string[]): string[] {
  if (list.length > 16) return [...new Set(list)];
  for (let i = 1; i < list.length; i++) if (list.indexOf(list[i] as string) < i) return [...new Set(list)];
  return list;
}

function gateOf(action: PolicyRule['actions'][number], conditional: boolean): Gate {
  const r = readRestrictIps(action);
  return {
    enforce: r.enforce,
    conditional,
    allow: distinct(r.allow),
    deny: distinct(r.deny),
    ipPolicies: distinct(r.ipPolicies),
  };
}

const TERMINAL = new Set(['deny', 'close-connection', 'custom-response', 'redirect']);

function computePlan(policy: string, scheme: string): Plan {
  const parsed = parseTrafficPolicyPhases(policy, phasesFor(scheme));
  if (!parsed.ok) return { kind: 'problem', reason: parsed.reason };
  const https = scheme === 'https' || scheme === 'http';

  const gates: Gate[] = [];
  const routes: PlanRoute[] = [];
  // The route of every connection not taken by a path rule: failover targets and conditional alternatives.
  let main: PlanRoute | null = null;

  for (let r = 0; r < parsed.rules.length; r++) {
    const rule = parsed.rules[r] as PolicyRule;
    const conditional = rule.expressions.length > 0;
    const path = https && conditional ? pathOf(rule.expressions) : null;
    // A path rule's own restrict-ips guard only its route; elsewhere a restrict-ips guards everything after it.
    const ruleGates: Gate[] = path !== null ? [...gates] : gates;
    let pathRoute: PlanRoute | null = null;
    for (let a = 0; a < rule.actions.length; a++) {
      const action = rule.actions[a] as PolicyRule['actions'][number];
      if (action.type === 'restrict-ips') {
        ruleGates.push(gateOf(action, conditional));
        continue;
      }
      if (action.type === 'forward-internal') {
        const step = forwardStep(action);
        if (!step.ok) return { kind: 'problem', reason: step.reason };
        if (path !== null) {
          if (pathRoute === null) {
            pathRoute = { path, gates: [...ruleGates], targets: [] };
            routes.push(pathRoute);
          }
          pathRoute.targets.push(step.target);
          if (step.onError === 'halt') break;
          continue;
        }
        main ??= { path: null, gates: [...gates], targets: [] };
        main.targets.push(step.target);
        // Unconditional and halting: nothing after it ever runs.
        if (step.onError === 'halt' && !conditional) return finish(main, routes, gates);
        if (step.onError === 'halt') break;
        continue;
      }
      if (TERMINAL.has(action.type)) {
        // Unconditional: nothing after it ever runs. Conditional: only the rest of this rule is skipped.
        if (!conditional) return finish(main, routes, gates);
        break;
      }
    }
  }
  const plan = finish(main, routes, gates);
  if (plan.kind === 'none') {
    const elsewhere = forwardsInOtherPhase(policy, scheme);
    if (elsewhere !== null)
      return {
        kind: 'problem',
        reason: `the traffic policy forwards in ${elsewhere}, which a ${scheme}:// endpoint never runs`,
      };
  }
  return plan;
}

/** The plan once the walk ends (a function, not a closure made per plan). */
function finish(main: PlanRoute | null, routes: PlanRoute[], gates: Gate[]): Plan {
  if (main !== null) routes.push(main);
  return routes.length > 0 ? { kind: 'routes', routes } : { kind: 'none', gates };
}

/** A forward-internal in a phase this scheme does not run (on_http_request on a tcp:// endpoint) is a mistake to report. */
function forwardsInOtherPhase(policy: string, scheme: string): PolicyPhase | null {
  const own = new Set(phasesFor(scheme));
  for (const phase of OTHER_PHASES) {
    if (own.has(phase)) continue;
    const parsed = parseTrafficPolicyPhases(policy, [phase]);
    if (parsed.ok && parsed.rules.some((r) => r.actions.some((a) => a.type === 'forward-internal')))
      return phase;
  }
  return null;
}

/** Gates come from memoized plans and are never mutated: their JSON text (a dedup key) is computed once each. */
const gateIds = new WeakMap<Gate, string>();

export function gateId(gate: Gate): string {
  let id = gateIds.get(gate);
  if (id === undefined) {
    id = JSON.stringify(gate);
    gateIds.set(gate, id);
  }
  return id;
}

/**
 * The restrict-ips an endpoint's own policy runs before handing a connection on (an agent endpoint's policy, or an
 * internal endpoint's): every one reached before an unconditional terminating action.
 */
export function gatesOf(policy: unknown, scheme: string): Gate[] {
  const plan = planOf(policy, scheme);
  if (plan.kind === 'none') return plan.gates;
  if (plan.kind === 'problem') return [];
  return plan.routes[0]?.gates ?? [];
}
