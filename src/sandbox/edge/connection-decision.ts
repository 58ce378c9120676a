// What the edge does with one new TCP connection: runs the cloud endpoint's on_tcp_connect rules in order, the way
// ngrok does, and ends in either "forward to this upstream" or "close". Pure apart from the agent lookup.
import {
  isTerminating,
  parseTrafficPolicy,
  readForwardInternal,
  readRestrictIps,
  type PolicyAction,
  type PolicyRule,
} from '../../core/ngrok/traffic-policy';
import { evaluateCel, UnsupportedCel, type ConnFacts } from './cel-conditions';
import { inCidr, isLoopbackHost, parseCidr, parseClientIp, type Cidr } from './ip-match';
import { parseUpstreamUrl, type HostPort } from './endpoint-address';

export type Decision =
  | { kind: 'forward'; targetUrl: string; upstreamUrl: string; upstream: HostPort }
  | { kind: 'close'; reason: string };

export type AgentLookup = (url: string) => { upstream_url?: string } | undefined;

type ActionOutcome = { next: true } | { next: false; decision: Decision };
const NEXT: ActionOutcome = { next: true };
const close = (reason: string): ActionOutcome => ({ next: false, decision: { kind: 'close', reason } });

function cidrs(list: string[]): Cidr[] {
  return list.map((text) => {
    try {
      return parseCidr(text);
    } catch {
      throw new Error(`"${text}" is not a CIDR`);
    }
  });
}

function restrictIps(action: PolicyAction, facts: ConnFacts, log: (line: string) => void): ActionOutcome {
  const config = readRestrictIps(action);
  const ip = parseClientIp(facts.clientIp);
  let allow: Cidr[];
  let deny: Cidr[];
  try {
    allow = cidrs(config.allow);
    deny = cidrs(config.deny);
  } catch (err) {
    // ngrok rejects such a policy when it is saved; a sandbox that let it through fails closed.
    return close(`restrict-ips: ${(err as Error).message}`);
  }
  // IP policy objects are not part of the edge's view of the state: their rules grant nothing here.
  if (config.ipPolicies.length > 0)
    log(`restrict-ips: ip_policies (${config.ipPolicies.join(', ')}) are not evaluated by the sandbox edge`);
  // ngrok: allowed only if the source matches an allow CIDR and no deny CIDR (so a deny-only list denies all).
  const allowed = ip !== undefined && allow.some((c) => inCidr(ip, c)) && !deny.some((c) => inCidr(ip, c));
  if (allowed) return NEXT;
  if (!config.enforce) {
    log(`restrict-ips: ${facts.clientIp} is not allowed, but enforce is false: continuing`);
    return NEXT;
  }
  return close(`restrict-ips denied ${facts.clientIp}`);
}

function forwardInternal(action: PolicyAction, lookup: AgentLookup): ActionOutcome {
  const config = readForwardInternal(action);
  if (!config) return close('forward-internal has no url');
  const fail = (reason: string): ActionOutcome => (config.onError === 'continue' ? NEXT : close(reason));
  const agent = lookup(config.url);
  if (!agent) return fail(`forward-internal: ${config.url} is offline (no agent endpoint)`);
  const upstream = agent.upstream_url ? parseUpstreamUrl(agent.upstream_url) : undefined;
  if (!upstream) return fail(`forward-internal: the agent endpoint ${config.url} has no usable upstream_url`);
  // The sandbox never sends traffic off this machine, whatever the state says.
  if (!isLoopbackHost(upstream.host))
    return fail(`forward-internal: upstream ${upstream.host} is not a loopback address`);
  return {
    next: false,
    decision: { kind: 'forward', targetUrl: config.url, upstreamUrl: agent.upstream_url!, upstream },
  };
}

function runAction(
  action: PolicyAction,
  facts: ConnFacts,
  lookup: AgentLookup,
  log: (line: string) => void,
): ActionOutcome {
  switch (action.type) {
    case 'restrict-ips':
      return restrictIps(action, facts, log);
    case 'forward-internal':
      return forwardInternal(action, lookup);
    case 'deny':
      return close('deny action');
    case 'close-connection':
      return close('close-connection action');
    default:
      // custom-response is terminating but means nothing on a raw TCP connection: close, as ngrok would refuse it.
      if (isTerminating(action)) return close(`${action.type} cannot run on a TCP connection`);
      log(`action ${action.type} is not simulated by the sandbox edge: skipped`);
      return NEXT;
  }
}

function ruleMatches(rule: PolicyRule, facts: ConnFacts, log: (line: string) => void): boolean {
  for (const expression of rule.expressions) {
    try {
      if (!evaluateCel(expression, facts)) return false;
    } catch (err) {
      if (!(err instanceof UnsupportedCel)) throw err;
      log(
        `rule ${rule.name ?? '(unnamed)'}: cannot evaluate "${expression}" (${err.message}): treated as not matching`,
      );
      return false;
    }
  }
  return true;
}

export function decideConnection(
  policyText: string | undefined,
  facts: ConnFacts,
  lookup: AgentLookup,
  log: (line: string) => void,
): Decision {
  const policy = parseTrafficPolicy(policyText);
  if (!policy.ok) return { kind: 'close', reason: policy.reason };
  for (const rule of policy.onTcpConnect) {
    if (!ruleMatches(rule, facts, log)) continue;
    for (const action of rule.actions) {
      const outcome = runAction(action, facts, lookup, log);
      if (!outcome.next) return outcome.decision;
    }
  }
  return { kind: 'close', reason: 'no terminating action ran' };
}
