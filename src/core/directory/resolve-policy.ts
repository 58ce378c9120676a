// From a cloud endpoint's traffic policy to the route SiteHop shows: where it forwards (forward-internal url) and
// who may connect (restrict-ips reached before it). Follows ngrok's execution order: rules in order, actions in
// order, a terminating action ends everything after it (docs/ngrok-api.md §6, §7.5).
import { parseTrafficPolicyPhases, readForwardInternal, readRestrictIps } from '../ngrok/traffic-policy';
import type { PolicyPhase } from '../ngrok/traffic-policy';
import { parseHostPort } from './resolve-address';
import type { HostPort } from './resolve-address';

export type Route =
  /** The policy never reaches forward-internal: not a service. */
  | { kind: 'none' }
  | { kind: 'problem'; reason: string }
  | { kind: 'route'; target: string; targetAddr: HostPort; allow: string[]; deny: string[] };

/** ngrok caps policies far below this; a larger one is hostile or broken, and parsing it would stall the sync. */
const MAX_POLICY_CHARS = 256 * 1024;

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/**
 * Memo of routes by (scheme, policy text). YAML parsing dominates resolving a large fleet (about 0.1 ms a policy),
 * and between two syncs almost every policy is unchanged. Routes are never mutated (callers copy the lists);
 * the bound keeps memory flat on accounts whose policies keep changing.
 */
const memo = new Map<string, Map<string, Route>>();
const MEMO_MAX = 50_000;
let memoSize = 0;

export function routeOf(policy: unknown, endpointScheme: string): Route {
  if (typeof policy !== 'string' || policy.trim() === '') return { kind: 'none' };
  if (policy.length > MAX_POLICY_CHARS)
    return { kind: 'problem', reason: 'the traffic policy is too large to read' };
  const known = memo.get(endpointScheme)?.get(policy);
  if (known !== undefined) return known;
  const route = computeRoute(policy, endpointScheme);
  if (memoSize >= MEMO_MAX) {
    memo.clear();
    memoSize = 0;
  }
  const perScheme = memo.get(endpointScheme) ?? new Map<string, Route>();
  memo.set(endpointScheme, perScheme);
  perScheme.set(policy, route);
  memoSize++;
  return route;
}

function computeRoute(policy: string, endpointScheme: string): Route {
  // HTTPS endpoints forward per request (on_http_request); on_tcp_connect runs before it on every connection.
  const phases: PolicyPhase[] =
    endpointScheme === 'https' ? ['on_tcp_connect', 'on_http_request'] : ['on_tcp_connect'];
  const parsed = parseTrafficPolicyPhases(policy, phases);
  if (!parsed.ok) return { kind: 'problem', reason: parsed.reason };

  const allow: string[] = [];
  const deny: string[] = [];
  for (const rule of parsed.rules) {
    const conditional = rule.expressions.length > 0;
    for (const action of rule.actions) {
      if (action.type === 'restrict-ips') {
        const r = readRestrictIps(action);
        // enforce: false only reports; it does not limit who may connect. Conditional ones are kept: they may apply.
        if (r.enforce) {
          allow.push(...r.allow);
          deny.push(...r.deny);
        }
        continue;
      }
      if (action.type === 'forward-internal') {
        const fi = readForwardInternal(action);
        if (fi === null) return { kind: 'problem', reason: 'the forward-internal action has no url' };
        if (fi.url.includes('${'))
          return {
            kind: 'problem',
            reason: `the forward-internal url is computed per connection (${fi.url.slice(0, 120)}), so the device cannot be known`,
          };
        const targetAddr = parseHostPort(fi.url);
        if (targetAddr === null)
          return {
            kind: 'problem',
            reason: `the forward-internal url "${fi.url.slice(0, 120)}" is not scheme://host:port`,
          };
        return { kind: 'route', target: fi.url, targetAddr, allow: unique(allow), deny: unique(deny) };
      }
      if (action.type === 'deny' || action.type === 'close-connection' || action.type === 'custom-response') {
        // Unconditional: nothing after it ever runs. Conditional: only the rest of this rule is skipped.
        if (!conditional) return { kind: 'none' };
        break;
      }
    }
  }
  return { kind: 'none' };
}
