// ngrok traffic policies for TCP cloud endpoints, parsed once and read by two consumers: the directory resolver
// (which service does this endpoint forward to, who may connect) and the sandbox edge (what to do with a
// connection). ngrok stores the policy as a string holding JSON or YAML; YAML 1.2 parses both.
import { parse as parseYaml } from 'yaml';

export interface PolicyAction {
  type: string;
  config: Record<string, unknown>;
}

export interface PolicyRule {
  name: string | null;
  /** CEL expressions that must all hold for the rule to run; empty means "always". */
  expressions: string[];
  actions: PolicyAction[];
}

export type ParsedPolicy = { ok: true; onTcpConnect: PolicyRule[] } | { ok: false; reason: string };

export interface RestrictIps {
  enforce: boolean;
  allow: string[];
  deny: string[];
  ipPolicies: string[];
}

export interface ForwardInternal {
  url: string;
  onError: 'halt' | 'continue';
}

const TERMINATING = new Set(['forward-internal', 'deny', 'close-connection', 'custom-response']);

export function isTerminating(action: PolicyAction): boolean {
  return TERMINATING.has(action.type);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function parseRule(raw: unknown, index: number): PolicyRule | string {
  if (!isRecord(raw)) return `rule ${index + 1} is not an object`;
  if (!Array.isArray(raw.actions)) return `rule ${index + 1} has no actions list`;
  const actions: PolicyAction[] = [];
  for (const [i, action] of raw.actions.entries()) {
    if (!isRecord(action) || typeof action.type !== 'string') return `action ${i + 1} of rule ${index + 1} has no type`;
    actions.push({ type: action.type, config: isRecord(action.config) ? action.config : {} });
  }
  return {
    name: typeof raw.name === 'string' ? raw.name : null,
    expressions: stringList(raw.expressions),
    actions,
  };
}

/** Parses a policy string. Never throws: a malformed policy comes back as `{ok: false, reason}`. */
export function parseTrafficPolicy(text: string | null | undefined): ParsedPolicy {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: 'the endpoint has no traffic policy' };
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 50 });
  } catch {
    return { ok: false, reason: 'the traffic policy is neither valid JSON nor valid YAML' };
  }
  if (!isRecord(doc)) return { ok: false, reason: 'the traffic policy is not an object' };
  const phase = doc.on_tcp_connect;
  if (phase === undefined) return { ok: true, onTcpConnect: [] };
  if (!Array.isArray(phase)) return { ok: false, reason: 'on_tcp_connect is not a list of rules' };
  const rules: PolicyRule[] = [];
  for (const [i, raw] of phase.entries()) {
    const rule = parseRule(raw, i);
    if (typeof rule === 'string') return { ok: false, reason: `the traffic policy's ${rule}` };
    rules.push(rule);
  }
  return { ok: true, onTcpConnect: rules };
}

export function readRestrictIps(action: PolicyAction): RestrictIps {
  const c = action.config;
  return {
    // ngrok documents `enforce` as defaulting to true; only an explicit false makes it report-only.
    enforce: c.enforce !== false,
    allow: stringList(c.allow),
    deny: stringList(c.deny),
    ipPolicies: stringList(c.ip_policies),
  };
}

export function readForwardInternal(action: PolicyAction): ForwardInternal | null {
  const url = action.config.url;
  if (typeof url !== 'string' || url.trim() === '') return null;
  return { url: url.trim(), onError: action.config.on_error === 'continue' ? 'continue' : 'halt' };
}
