// The edge's own reading of a traffic policy. Deliberately NOT core's parser (src/core/ngrok/traffic-policy.ts) nor
// the directory resolver: the sandbox stands for ngrok, and a shared reading would hide the very bugs the sandbox
// is there to catch. It follows ngrok's documentation directly: a policy is JSON or YAML text whose phases hold
// rules ({name?, expressions?, actions: [{type, config?}]}); TCP and TLS endpoints run on_tcp_connect, which older
// policies call `inbound`.
import { parse } from 'yaml';

export interface EdgeAction {
  type: string;
  config: Record<string, unknown>;
}

export interface EdgeRule {
  label: string;
  expressions: string[];
  actions: EdgeAction[];
}

export type ReadPolicy = { ok: true; rules: EdgeRule[] } | { ok: false; reason: string };

const cache = new Map<string, ReadPolicy>();
const CACHE_MAX = 2_000;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function readRules(phase: unknown, phaseName: string): EdgeRule[] | string {
  if (phase === undefined || phase === null) return [];
  if (!Array.isArray(phase)) return `${phaseName} must be a list of rules`;
  const out: EdgeRule[] = [];
  for (let i = 0; i < phase.length; i++) {
    const rule: unknown = phase[i];
    if (!isObject(rule) || !Array.isArray(rule.actions)) return `${phaseName}[${i}] has no list of actions`;
    const actions: EdgeAction[] = [];
    for (const a of rule.actions as unknown[]) {
      if (!isObject(a) || typeof a.type !== 'string')
        return `${phaseName}[${i}] has an action without a type`;
      actions.push({ type: a.type, config: isObject(a.config) ? a.config : {} });
    }
    const expressions = Array.isArray(rule.expressions)
      ? (rule.expressions as unknown[]).filter((e): e is string => typeof e === 'string')
      : [];
    out.push({
      label: typeof rule.name === 'string' ? rule.name : `${phaseName}[${i}]`,
      expressions,
      actions,
    });
  }
  return out;
}

/** The rules a TCP/TLS connection runs through, in order. Never throws. */
export function readConnectRules(text: string | undefined): ReadPolicy {
  if (text === undefined || text.trim() === '') return { ok: false, reason: 'no traffic policy' };
  const hit = cache.get(text);
  if (hit) return hit;
  let result: ReadPolicy;
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    doc = undefined;
  }
  if (!isObject(doc)) result = { ok: false, reason: 'the traffic policy is not a JSON/YAML object' };
  else {
    const current = readRules(doc.on_tcp_connect, 'on_tcp_connect');
    const legacy = readRules(doc.inbound, 'inbound');
    if (typeof current === 'string') result = { ok: false, reason: current };
    else if (typeof legacy === 'string') result = { ok: false, reason: legacy };
    else result = { ok: true, rules: [...current, ...legacy] };
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, result);
  return result;
}

/** Whether a cloud endpoint's policy can end in a terminating action at all (ngrok refuses one that cannot). */
export function reachesTerminatingAction(text: string | undefined, phases: 'tcp' | 'http'): boolean {
  if (text === undefined || text.trim() === '') return false;
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    return false;
  }
  if (!isObject(doc)) return false;
  const names =
    phases === 'tcp' ? ['on_tcp_connect', 'inbound'] : ['on_tcp_connect', 'on_http_request', 'inbound'];
  const terminating = new Set([
    'forward-internal',
    'deny',
    'close-connection',
    'custom-response',
    'redirect',
  ]);
  for (const name of names) {
    const rules = readRules(doc[name], name);
    if (typeof rules === 'string') return false;
    if (rules.some((r) => r.actions.some((a) => terminating.has(a.type)))) return true;
  }
  return false;
}
