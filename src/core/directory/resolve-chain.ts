// Following a route to the agents that serve it (docs/directory-rules.md, "Online"). A forward-internal target is
// served when an agent endpoint with that URL is listed (URLs compared as ngrok compares them); when the URL is an
// internal cloud endpoint's instead, its own policy runs next (ngrok applies it), so the chain goes on through it,
// collecting its restrict-ips. The agent endpoint's own policy runs too: its restrict-ips are collected as well.
import type { HostPort } from './resolve-address';
import { schemeOf } from './resolve-address';
import type { Gate, PlanTarget } from './resolve-policy';
import { gateId, gatesOf, planOf } from './resolve-policy';
import type { AccountIndex, Rec } from './resolve-read';
import { field } from './resolve-read';

export interface ChainTarget {
  url: string;
  /** parseHostPort(url), from the plan. */
  addr: HostPort;
  /** urlKey(url), from the plan. */
  key: string | null;
  online: boolean;
  via: string[];
  /** The listed agent endpoints serving it (a pool), in a stable order. */
  agents: Rec[];
  /** An internal cloud endpoint whose policy forwards nowhere: nothing can ever serve it. */
  deadEnd: boolean;
}

export interface SourcedGate {
  gate: Gate;
  /** The URL of the endpoint whose policy holds it. */
  source: string;
}

export interface Chain {
  targets: ChainTarget[];
  gates: SourcedGate[];
  problems: string[];
}

/** ngrok itself refuses deep forward-internal chains; this only bounds hostile data. */
const MAX_DEPTH = 8;

/** The internal endpoints passed through at the start of a chain: none (shared, never written). */
const NONE_SEEN: ReadonlySet<string> = new Set();

export function followTargets(targets: readonly PlanTarget[], index: AccountIndex): Chain {
  const chain: Chain = { targets: [], gates: [], problems: [] };
  walk(targets, index, [], NONE_SEEN, chain);
  return chain;
}

function walk(
  targets: readonly PlanTarget[],
  index: AccountIndex,
  via: string[],
  seen: ReadonlySet<string>,
  chain: Chain,
): void {
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i] as PlanTarget;
    const key = t.key;
    const agents = key === null ? [] : (index.agentsByKey.get(key) ?? []);
    if (agents.length > 0) {
      chain.targets.push({ url: t.url, addr: t.addr, key, online: true, via, agents, deadEnd: false });
      // Most agent endpoints have no policy: the set of gate ids is made when a second gate needs comparing.
      let firstGate: string | null = null;
      let seenGates: Set<string> | null = null;
      for (let a = 0; a < agents.length; a++) {
        const gates = gatesOf(field(agents[a] as Rec, 'traffic_policy'), t.addr.scheme);
        for (let g = 0; g < gates.length; g++) {
          const gate = gates[g] as Gate;
          const id = gateId(gate);
          if (firstGate === null) firstGate = id;
          else {
            seenGates ??= new Set([firstGate]);
            if (seenGates.has(id)) continue;
            seenGates.add(id);
          }
          chain.gates.push({ gate, source: t.url });
        }
      }
      continue;
    }
    const internal = key === null ? undefined : index.internalCloudByKey.get(key)?.[0];
    if (internal === undefined) {
      chain.targets.push({ url: t.url, addr: t.addr, key, online: false, via, agents: [], deadEnd: false });
      continue;
    }
    if (seen.has(key as string) || via.length >= MAX_DEPTH) {
      chain.problems.push(`the forward-internal chain loops through ${t.url.slice(0, 120)}`);
      chain.targets.push({ url: t.url, addr: t.addr, key, online: false, via, agents: [], deadEnd: true });
      continue;
    }
    const plan = planOf(field(internal, 'traffic_policy'), schemeOf(t.url) ?? t.addr.scheme);
    if (plan.kind === 'problem') {
      chain.problems.push(`the internal endpoint ${t.url.slice(0, 120)}: ${plan.reason}`);
      chain.targets.push({ url: t.url, addr: t.addr, key, online: false, via, agents: [], deadEnd: true });
      continue;
    }
    if (plan.kind === 'none') {
      chain.targets.push({ url: t.url, addr: t.addr, key, online: false, via, agents: [], deadEnd: true });
      continue;
    }
    const next = new Set(seen).add(key as string);
    for (const route of plan.routes) {
      for (const gate of route.gates) chain.gates.push({ gate, source: t.url });
      walk(route.targets, index, [...via, t.url], next, chain);
    }
  }
}
