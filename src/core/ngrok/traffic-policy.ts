// ngrok traffic policies for TCP cloud endpoints, parsed once and read by two consumers: the directory resolver
// (which service does this endpoint forward to, who may connect) and the sandbox edge (what to do with a
// connection). ngrok stores the policy as a string holding JSON or YAML; YAML 1.2 parses both.
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
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
    if (!isRecord(action) || typeof action.type !== 'string')
      return `action ${i + 1} of rule ${index + 1} has no type`;
    actions.push({ type: action.type, config: isRecord(action.config) ? action.config : {} });
  }
  return {
    name: typeof raw.name === 'string' ? raw.name : null,
    expressions: stringList(raw.expressions),
    actions,
  };
}

/**
 * Plain block YAML through js-yaml (about five times faster than the `yaml` package; issue 12, item 5), only
 * when its answer is certainly the `yaml` package's: undefined otherwise, and the `yaml` package decides. The
 * text may hold no anchor or alias, tag, directive, document marker, flow collection, block scalar, comment,
 * quote (js-yaml takes a quoted scalar over a badly indented line break that `yaml` refuses) or tab; js-yaml must accept it; and every key and value must be a string or a boolean, no string reading
 * as null, a boolean or a number under YAML 1.2's core schema (js-yaml reads "-.5" as text, `yaml` as a number:
 * such text is left to `yaml`). traffic-policy.test.ts checks the two agree on generated policies.
 */
const QUICK_TEXT = /^[A-Za-z0-9 \n._:/\-,()=+$~^;<]*$/;
const CORE_NON_STRING =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))?$/;

export function quickYaml(text: string): Record<string, unknown> | undefined {
  if (!QUICK_TEXT.test(text) || text.includes('<<') || /^(?:---|\.\.\.)/m.test(text)) return undefined;
  let doc: unknown;
  try {
    doc = loadYaml(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return isRecord(doc) && plainData(doc, 0) ? doc : undefined;
}

function plainData(value: unknown, depth: number): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') return !CORE_NON_STRING.test(value);
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.every((v) => plainData(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const [k, v] of Object.entries(value))
    if (k === '__proto__' || CORE_NON_STRING.test(k) || !plainData(v, depth + 1)) return false;
  return true;
}

function parseDocument(text: string | null | undefined): Record<string, unknown> | string {
  if (typeof text !== 'string' || text.trim() === '') return 'the endpoint has no traffic policy';
  let doc: unknown = undefined;
  // Fast path: JSON.parse is about a hundred times faster than the YAML parser, and most policies are JSON (the
  // API's examples return JSON). Text that is not strict JSON (YAML flow style, comments) goes to the YAML parser.
  if (text.trimStart().startsWith('{')) {
    try {
      doc = JSON.parse(text);
    } catch {
      doc = undefined;
    }
  }
  doc ??= quickYaml(text);
  if (doc === undefined) {
    try {
      doc = parseYaml(text, { maxAliasCount: 50 });
    } catch {
      return 'the traffic policy is neither valid JSON nor valid YAML';
    }
  }
  if (!isRecord(doc)) return 'the traffic policy is not an object';
  return doc;
}

function parsePhase(doc: Record<string, unknown>, phaseName: PolicyPhase): PolicyRule[] | string {
  const phase = doc[phaseName];
  if (phase === undefined || phase === null) return [];
  if (!Array.isArray(phase)) return `${phaseName} is not a list of rules`;
  const rules: PolicyRule[] = [];
  for (const [i, raw] of phase.entries()) {
    const rule = parseRule(raw, i);
    if (typeof rule === 'string') return `the traffic policy's ${rule}`;
    rules.push(rule);
  }
  return rules;
}

/** Parses a policy string. Never throws: a malformed policy comes back as `{ok: false, reason}`. */
export function parseTrafficPolicy(text: string | null | undefined): ParsedPolicy {
  const doc = parseDocument(text);
  if (typeof doc === 'string') return { ok: false, reason: doc };
  const rules = parsePhase(doc, 'on_tcp_connect');
  return typeof rules === 'string' ? { ok: false, reason: rules } : { ok: true, onTcpConnect: rules };
}

/**
 * `inbound` is the legacy name (before phases) of on_tcp_connect on TCP/TLS endpoints and of on_http_request on
 * HTTP(S) ones; ngrok still documents it as deprecated, so policies written then may still carry it.
 */
export type PolicyPhase = 'on_tcp_connect' | 'on_http_request' | 'inbound';

/**
 * The rules of several phases, in the order given (ngrok runs on_tcp_connect before on_http_request): an HTTPS
 * cloud endpoint forwards in on_http_request, a TCP/TLS one in on_tcp_connect. Never throws.
 */
export function parseTrafficPolicyPhases(
  text: string | null | undefined,
  phases: readonly PolicyPhase[],
): { ok: true; rules: PolicyRule[] } | { ok: false; reason: string } {
  const doc = parseDocument(text);
  if (typeof doc === 'string') return { ok: false, reason: doc };
  const rules: PolicyRule[] = [];
  for (const phase of phases) {
    const phaseRules = parsePhase(doc, phase);
    if (typeof phaseRules === 'string') return { ok: false, reason: phaseRules };
    rules.push(...phaseRules);
  }
  return { ok: true, rules };
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
