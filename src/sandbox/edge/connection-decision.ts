// What the edge does with one new TCP connection, the way ngrok documents it: the entry endpoint's policy runs
// (rules in order, actions in order, a terminating action ends it); forward-internal hands the connection to the
// endpoint with that URL — an agent endpoint (its own policy runs first, then its upstream; pooled agent
// endpoints take turns) or an internal cloud endpoint (its policy runs next) — and a target that fails falls
// through to the next action with on_error: continue, else closes. Its reading of policies is its own
// (policy-reader.ts), not core's: see that file. Pure apart from the world lookups.
import { evaluateCel, UnsupportedCel, type ConnFacts } from './cel-conditions';
import type { EdgeEndpoint, IpPolicyRuleView } from './edge-view';
import { endpointKey, parseUpstreamUrl, type HostPort } from './endpoint-address';
import { inCidr, isLoopbackHost, parseCidr, parseClientIp, type Cidr } from './ip-match';
import { readConnectRules, type EdgeAction, type EdgeRule } from './policy-reader';

export type Decision =
  | { kind: 'forward'; targetUrl: string; upstreamUrl: string; upstream: HostPort; agentId: string }
  | { kind: 'close'; reason: string };

/** What the decision needs to know about the account, resolved by the edge from its view. */
export interface EdgeWorld {
  /** The listed agent endpoints with this URL (compared as ngrok compares URLs), in a stable order. */
  agentsAt(url: string): EdgeEndpoint[];
  /** An internal cloud endpoint with this URL. */
  internalCloudAt(url: string): EdgeEndpoint | undefined;
  ipPolicyRules(id: string): IpPolicyRuleView[] | undefined;
  /** Picks one of a pool (the edge balances in turn). */
  pick(url: string, pool: EdgeEndpoint[]): EdgeEndpoint;
}

type Log = (line: string) => void;
type Outcome = Decision | { kind: 'pass' };
type Forwarded = Decision | { kind: 'error'; reason: string };

/** ngrok bounds how far forward-internal chains go; this stops loops in a state file. */
const MAX_HOPS = 6;

function cidrs(list: unknown): Cidr[] {
  if (!Array.isArray(list)) return [];
  return list.map((text) => {
    try {
      return parseCidr(String(text));
    } catch {
      throw new Error(`"${String(text)}" is not a CIDR`);
    }
  });
}

function restrictIps(config: Record<string, unknown>, facts: ConnFacts, world: EdgeWorld, log: Log): Outcome {
  let allow: Cidr[];
  let deny: Cidr[];
  try {
    allow = cidrs(config.allow);
    deny = cidrs(config.deny);
    // ngrok builds both sets from the lists and from the rules of every IP policy named.
    for (const id of Array.isArray(config.ip_policies) ? config.ip_policies : []) {
      const rules = world.ipPolicyRules(String(id));
      if (rules === undefined) {
        log(
          `restrict-ips: ip_policies names ${String(id)}, which this account does not have: it has no rules`,
        );
        continue;
      }
      allow.push(...cidrs(rules.filter((r) => r.action === 'allow').map((r) => r.cidr)));
      deny.push(...cidrs(rules.filter((r) => r.action === 'deny').map((r) => r.cidr)));
    }
  } catch (err) {
    // ngrok rejects such a policy when it is saved; a sandbox that let it through fails closed.
    return { kind: 'close', reason: `restrict-ips: ${(err as Error).message}` };
  }
  const ip = parseClientIp(facts.clientIp);
  // Allowed only if the source matches an allow CIDR and no deny CIDR (so a deny-only list denies everyone).
  const allowed = ip !== undefined && allow.some((c) => inCidr(ip, c)) && !deny.some((c) => inCidr(ip, c));
  if (allowed) return { kind: 'pass' };
  // `enforce` defaults to true: only an explicit false merely reports.
  if (config.enforce === false) {
    log(`restrict-ips: ${facts.clientIp} is not allowed, but enforce is false: continuing`);
    return { kind: 'pass' };
  }
  return { kind: 'close', reason: `restrict-ips denied ${facts.clientIp}` };
}

function matches(rule: EdgeRule, facts: ConnFacts, log: Log): boolean {
  for (const expression of rule.expressions) {
    try {
      if (!evaluateCel(expression, facts)) return false;
    } catch (err) {
      if (!(err instanceof UnsupportedCel)) throw err;
      log(`rule ${rule.label}: cannot evaluate "${expression}" (${err.message}): treated as not matching`);
      return false;
    }
  }
  return true;
}

function upstreamOf(agent: EdgeEndpoint, targetUrl: string): Forwarded {
  const upstream = agent.upstream_url ? parseUpstreamUrl(agent.upstream_url) : undefined;
  if (!upstream)
    return { kind: 'error', reason: `the agent endpoint ${targetUrl} has no usable upstream_url` };
  // The sandbox never sends traffic off this machine, whatever the state says.
  if (!isLoopbackHost(upstream.host))
    return { kind: 'error', reason: `upstream ${upstream.host} of ${targetUrl} is not a loopback address` };
  return { kind: 'forward', targetUrl, upstreamUrl: agent.upstream_url!, upstream, agentId: agent.id };
}

function forwardInternal(url: string, facts: ConnFacts, world: EdgeWorld, hops: number, log: Log): Forwarded {
  if (hops >= MAX_HOPS) return { kind: 'error', reason: `forward-internal to ${url}: too many hops` };
  const agents = world.agentsAt(url);
  if (agents.length > 0) {
    const agent = world.pick(url, agents);
    // The target endpoint's own policy runs too (ngrok applies it on every endpoint a connection passes).
    if (agent.traffic_policy !== undefined && agent.traffic_policy.trim() !== '') {
      const own = runPolicy(agent.traffic_policy, facts, world, hops + 1, log);
      if (own.kind !== 'pass') return own;
    }
    return upstreamOf(agent, url);
  }
  const internal = world.internalCloudAt(url);
  if (internal !== undefined) {
    const next = runPolicy(internal.traffic_policy, facts, world, hops + 1, log);
    if (next.kind === 'pass')
      return { kind: 'error', reason: `the internal endpoint ${url} reached no terminating action` };
    return next;
  }
  return { kind: 'error', reason: `forward-internal: ${url} is offline (no endpoint with that URL)` };
}

function runAction(action: EdgeAction, facts: ConnFacts, world: EdgeWorld, hops: number, log: Log): Outcome {
  switch (action.type) {
    case 'restrict-ips':
      return restrictIps(action.config, facts, world, log);
    case 'forward-internal': {
      const url = typeof action.config.url === 'string' ? action.config.url.trim() : '';
      if (url === '') return { kind: 'close', reason: 'forward-internal has no url' };
      const result = forwardInternal(url, facts, world, hops, log);
      if (result.kind !== 'error') return result;
      // on_error defaults to halt: the connection closes. continue: the next action runs.
      if (action.config.on_error === 'continue') {
        log(`${result.reason}: on_error is continue`);
        return { kind: 'pass' };
      }
      return { kind: 'close', reason: result.reason };
    }
    case 'deny':
    case 'close-connection':
      return { kind: 'close', reason: `${action.type} action` };
    case 'custom-response':
    case 'redirect':
      // Terminating, but meaningless on a raw TCP connection: close, as ngrok would not run them there.
      return { kind: 'close', reason: `${action.type} cannot run on a TCP connection` };
    default:
      log(`action ${action.type} is not simulated by the sandbox edge: skipped`);
      return { kind: 'pass' };
  }
}

function runPolicy(
  text: string | undefined,
  facts: ConnFacts,
  world: EdgeWorld,
  hops: number,
  log: Log,
): Outcome {
  const read = readConnectRules(text);
  if (!read.ok) return { kind: 'close', reason: read.reason };
  for (const rule of read.rules) {
    if (!matches(rule, facts, log)) continue;
    for (const action of rule.actions) {
      const outcome = runAction(action, facts, world, hops, log);
      if (outcome.kind !== 'pass') return outcome;
    }
  }
  return { kind: 'pass' };
}

/** The decision for a connection that arrived on `entry`: a public cloud endpoint or an agent-bound agent endpoint. */
export function decideFor(entry: EdgeEndpoint, facts: ConnFacts, world: EdgeWorld, log: Log): Decision {
  if (entry.type === 'cloud') {
    const outcome = runPolicy(entry.traffic_policy, facts, world, 0, log);
    return outcome.kind === 'pass' ? { kind: 'close', reason: 'no terminating action ran' } : outcome;
  }
  // An agent endpoint on a reserved address: its own policy, then its upstream.
  if (entry.traffic_policy !== undefined && entry.traffic_policy.trim() !== '') {
    const own = runPolicy(entry.traffic_policy, facts, world, 0, log);
    if (own.kind !== 'pass') return own;
  }
  const up = upstreamOf(entry, entry.url);
  return up.kind === 'error' ? { kind: 'close', reason: up.reason } : up;
}

export type AgentLookup = (url: string) => { upstream_url?: string } | undefined;

/** A world of exact-URL agent lookups and nothing else (the edge's unit tests and simple callers). */
export function lookupWorld(lookup: AgentLookup): EdgeWorld {
  return {
    agentsAt: (url) => {
      const a = lookup(url);
      return a
        ? [
            {
              id: url,
              type: 'agent',
              url,
              ...(a.upstream_url !== undefined ? { upstream_url: a.upstream_url } : {}),
            },
          ]
        : [];
    },
    internalCloudAt: () => undefined,
    ipPolicyRules: () => undefined,
    pick: (_url, pool) => pool[0] as EdgeEndpoint,
  };
}

/** One cloud endpoint policy against an agent lookup. */
export function decideConnection(
  policyText: string | undefined,
  facts: ConnFacts,
  lookup: AgentLookup,
  log: Log,
): Decision {
  return decideFor(
    {
      id: 'ep_entry',
      type: 'cloud',
      url: 'tcp://127.0.0.1:0',
      ...(policyText !== undefined ? { traffic_policy: policyText } : {}),
    },
    facts,
    lookupWorld(lookup),
    log,
  );
}

export { endpointKey };
