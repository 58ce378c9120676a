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
  // Index loops, not entries(): this runs for every rule of every policy of an account on a cold resolve.
  for (let i = 0; i < raw.actions.length; i++) {
    const action: unknown = raw.actions[i];
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
  const block = plainBlockYaml(text);
  if (block !== undefined) return block;
  let doc: unknown;
  try {
    doc = loadYaml(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return isRecord(doc) && plainData(doc, 0) ? doc : undefined;
}

/** A mapping entry: a key of word characters, then nothing (a nested block follows) or one space and a value. */
const ENTRY = /^[A-Za-z_][A-Za-z0-9_-]{0,127}:(?: [^ ]|$)/;
/** A one-line plain scalar that starts with no indicator (`-`, `:`, `,` are the ones QUICK_TEXT lets through). */
const PLAIN = /^[A-Za-z0-9_./(=+$~^;<][A-Za-z0-9 ._:/\-,()=+$~^;<]*$/;
const BAIL = Symbol('bail');

/** A one-line scalar's value: a string or a boolean, or BAIL when YAML 1.2 might read it otherwise. */
function plainScalar(value: string): string | boolean | typeof BAIL {
  if (!PLAIN.test(value) || value.endsWith(':') || value.includes(': ') || value.startsWith('...'))
    return BAIL;
  if (!CORE_NON_STRING.test(value)) return value;
  if (value === 'true' || value === 'True' || value === 'TRUE') return true;
  if (value === 'false' || value === 'False' || value === 'FALSE') return false;
  return BAIL;
}

/**
 * The most common policy YAML (what `yaml.stringify` and people write: block mappings and sequences indented by
 * two, one-line plain scalars) read line by line, without js-yaml (issue 12, item 5). Called on text that passed
 * quickYaml's character checks. Anything else — a multi-line scalar, a sequence at its key's indentation, other
 * indentation steps, a repeated key, a scalar YAML 1.2 reads as null or a number — gives undefined, and js-yaml or
 * `yaml` decide. traffic-policy.test.ts checks that what it answers is what `yaml` answers. One loop with an explicit
 * stack, not recursive functions: V8 inlines mutually recursive closures into each other, and optimizing those
 * cost more compile time on a new process's first resolve than the parsing saved.
 */
export function plainBlockYaml(text: string): Record<string, unknown> | undefined {
  const root: Record<string, unknown> = {};
  // Open containers, innermost last, and the indentation of their lines.
  const nodes: Array<Record<string, unknown> | unknown[]> = [root];
  const levels: number[] = [0];
  /** A key read as `key:` whose value is the block on the next, deeper line. */
  let pending: string | null = null;
  let lines = 0;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let from = start;
    while (from < end && text.charCodeAt(from) === 32) from++;
    let to = end;
    while (to > from && text.charCodeAt(to - 1) === 32) to--;
    const lineIndent = from - start;
    start = end + 1;
    if (to === from) continue;
    lines++;
    const line = text.slice(from, to);
    let top = nodes.length - 1;
    if (pending !== null) {
      // The value of `key:` is the block that starts on the next line, deeper than the key.
      if (lineIndent <= (levels[top] as number) || nodes.length > 32) return undefined;
      const child: Record<string, unknown> | unknown[] = line.startsWith('- ') ? [] : {};
      (nodes[top] as Record<string, unknown>)[pending] = child;
      nodes.push(child);
      levels.push(lineIndent);
      pending = null;
      top++;
    } else {
      // Back out to the container this line belongs to; a line deeper than it would continue a scalar.
      while (top > 0 && (levels[top] as number) > lineIndent) {
        nodes.pop();
        levels.pop();
        top--;
      }
      if (levels[top] !== lineIndent) return undefined;
    }
    let entry = line;
    const node = nodes[top] as Record<string, unknown> | unknown[];
    if (Array.isArray(node)) {
      if (!line.startsWith('- ')) return undefined;
      entry = line.slice(2);
      if (!ENTRY.test(entry)) {
        const value = plainScalar(entry);
        if (value === BAIL) return undefined;
        node.push(value);
        continue;
      }
      // `- key: …` opens a mapping whose keys sit two columns in.
      if (nodes.length > 32) return undefined;
      const item: Record<string, unknown> = {};
      node.push(item);
      nodes.push(item);
      levels.push(lineIndent + 2);
      top++;
    } else if (!ENTRY.test(entry)) return undefined;
    const map = nodes[top] as Record<string, unknown>;
    // A key holds no ':', so the first one ends it.
    const colon = entry.indexOf(':');
    const key = entry.slice(0, colon);
    if (key === '__proto__' || CORE_NON_STRING.test(key) || Object.hasOwn(map, key)) return undefined;
    if (colon === entry.length - 1) {
      pending = key;
      continue;
    }
    const value = plainScalar(entry.slice(colon + 2));
    if (value === BAIL) return undefined;
    map[key] = value;
  }
  return pending === null && lines > 0 ? root : undefined;
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

/** A character trim() keeps (\s is trim's whitespace): tested rather than trimming, which copies the text. */
const NOT_BLANK = /\S/;

function parseDocument(text: string | null | undefined): Record<string, unknown> | string {
  if (typeof text !== 'string' || !NOT_BLANK.test(text)) return 'the endpoint has no traffic policy';
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
  for (let i = 0; i < phase.length; i++) {
    const rule = parseRule(phase[i], i);
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
    for (const rule of phaseRules) rules.push(rule);
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
  const trimmed = typeof url === 'string' ? url.trim() : '';
  if (trimmed === '') return null;
  return { url: trimmed, onError: action.config.on_error === 'continue' ? 'continue' : 'halt' };
}
