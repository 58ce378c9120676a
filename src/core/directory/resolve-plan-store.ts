// Parsed policy plans kept beside the account cache (issue 12, item 5). Reading ~12,000 traffic policies and
// planning their routes is the largest part of a process's first resolve, and between two runs of the app (or two
// `sitehop sync` processes) almost every policy text is unchanged. The plans of an account's policies are written
// next to its kept objects, keyed by scheme and a digest of the policy text, and read back into the resolver's plan
// memo before its first resolve. A plan is a pure function of (scheme, text) and of the planner's code: the store
// names the planner's version (PLANNER_VERSION, pinned by resolve-plan-store.test.ts) and carries a checksum of its
// body; anything missing, damaged, of another version or of another shape is not used, and those policies are
// parsed as before. Pure functions of text: the file I/O is the cache's (cache.ts).
import crypto from 'node:crypto';
import type { AccountObjects } from '../ngrok/types';
import { memoByString } from './resolve-memo';
import type { Gate, Plan, PlanRoute, PlanTarget } from './resolve-policy';
import { knownPlans, seedPlan } from './resolve-policy';

/**
 * The planner's version: bump it whenever a plan made from the same (scheme, text) could differ (resolve-policy.ts,
 * traffic-policy.ts). resolve-plan-store.test.ts records a digest of the plans of sample policies per version and
 * fails when they change under the same number.
 */
export const PLANNER_VERSION = 1;
const STORE_VERSION = 1;

/** SHA-256 as base64url; one-shot crypto.hash (Node 20.12+) is several times faster on short texts than a Hash. */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'base64url')
    : (text) => crypto.createHash('sha256').update(text).digest('base64url');

/** 128 bits of SHA-256: collisions are not a practical concern at 12,000 texts. */
const digestOf = memoByString((text: string) => sha256(text).slice(0, 22));

const checksum = sha256;

/** Calls `fn` with each policy text of an account's endpoints (the only policies the resolver plans). */
function eachPolicy(objects: AccountObjects, fn: (text: string) => boolean | void): void {
  const endpoints: unknown = (objects as { endpoints?: unknown }).endpoints;
  if (!Array.isArray(endpoints)) return;
  for (const e of endpoints) {
    const p: unknown =
      typeof e === 'object' && e !== null && Object.hasOwn(e, 'traffic_policy')
        ? (e as { traffic_policy: unknown }).traffic_policy
        : undefined;
    if (typeof p === 'string' && p.trim() !== '' && fn(p) === false) return;
  }
}

function policyTexts(objects: AccountObjects): Set<string> {
  const texts = new Set<string>();
  eachPolicy(objects, (t) => void texts.add(t));
  return texts;
}

type Entry = [scheme: string, digest: string, plan: Plan];

/** What a store would hold for an account: its policy texts and how many plans are known for them. */
export interface PlanStoreSignature {
  equals(other: PlanStoreSignature): boolean;
}

class Signature implements PlanStoreSignature {
  constructor(
    readonly texts: Set<string>,
    readonly plans: number,
  ) {}

  equals(other: PlanStoreSignature): boolean {
    if (!(other instanceof Signature) || other.plans !== this.plans || other.texts.size !== this.texts.size)
      return false;
    for (const t of this.texts) if (!other.texts.has(t)) return false;
    return true;
  }
}

export function planStoreSignature(objects: AccountObjects): PlanStoreSignature {
  const texts = policyTexts(objects);
  let plans = 0;
  for (const text of texts) plans += knownPlans(text).length;
  return new Signature(texts, plans);
}

/**
 * The store's text for an account: the plans this process has made for its policies. A header line (versions,
 * checksum of the rest), then the entries as JSON. Null when no plan is known (nothing resolved yet).
 */
export function planStoreText(objects: AccountObjects): string | null {
  const entries: Entry[] = [];
  for (const text of policyTexts(objects))
    for (const [scheme, plan] of knownPlans(text)) entries.push([scheme, digestOf(text), plan]);
  if (entries.length === 0) return null;
  const body = JSON.stringify(entries);
  const header = JSON.stringify({ store: STORE_VERSION, planner: PLANNER_VERSION, checksum: checksum(body) });
  return `${header}\n${body}`;
}

export type SeedResult = { seeded: number } | { problem: string };

/**
 * Reads a store's text back into the plan memo, for the policies of `objects` it holds. Never throws; a store that
 * is not exactly what planStoreText wrote for this planner seeds nothing and says why.
 */
export function seedPlanStore(objects: AccountObjects, text: string): SeedResult {
  try {
    const cut = text.indexOf('\n');
    if (cut < 0) return { problem: 'no header' };
    const header = JSON.parse(text.slice(0, cut)) as Record<string, unknown>;
    if (header.store !== STORE_VERSION) return { problem: 'another store version' };
    if (header.planner !== PLANNER_VERSION) return { problem: 'another planner version' };
    const body = text.slice(cut + 1);
    if (header.checksum !== checksum(body)) return { problem: 'checksum mismatch' };
    const entries = JSON.parse(body) as unknown;
    if (!Array.isArray(entries)) return { problem: 'not a list' };
    const byDigest = new Map<string, Array<[string, Plan]>>();
    for (const e of entries) {
      if (!Array.isArray(e) || e.length !== 3) return { problem: 'an entry is not [scheme, digest, plan]' };
      const [scheme, digest, plan] = e as unknown[];
      if (typeof scheme !== 'string' || typeof digest !== 'string' || !isPlan(plan))
        return { problem: 'an entry has another shape' };
      const list = byDigest.get(digest);
      if (list === undefined) byDigest.set(digest, [[scheme, plan]]);
      else list.push([scheme, plan]);
    }
    let seeded = 0;
    eachPolicy(objects, (policy) => {
      const plans = byDigest.get(digestOf(policy));
      if (plans === undefined) return;
      byDigest.delete(digestOf(policy));
      for (const [scheme, plan] of plans) {
        seedPlan(policy, scheme, plan);
        seeded++;
      }
    });
    return { seeded };
  } catch {
    return { problem: 'unreadable' };
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isGate(v: unknown): v is Gate {
  return (
    isObject(v) &&
    typeof v.enforce === 'boolean' &&
    typeof v.conditional === 'boolean' &&
    isStrings(v.allow) &&
    isStrings(v.deny) &&
    isStrings(v.ipPolicies)
  );
}

const isGates = (v: unknown): v is Gate[] => Array.isArray(v) && v.every(isGate);

function isTarget(v: unknown): v is PlanTarget {
  if (!isObject(v) || !isString(v.url) || !isObject(v.addr)) return false;
  const a = v.addr;
  return isString(a.scheme) && isString(a.host) && Number.isInteger(a.port);
}

function isRoute(v: unknown): v is PlanRoute {
  return (
    isObject(v) &&
    (v.path === null || isString(v.path)) &&
    isGates(v.gates) &&
    Array.isArray(v.targets) &&
    v.targets.length > 0 &&
    v.targets.every(isTarget)
  );
}

function isPlan(v: unknown): v is Plan {
  if (!isObject(v)) return false;
  if (v.kind === 'none') return isGates(v.gates);
  if (v.kind === 'problem') return isString(v.reason);
  return v.kind === 'routes' && Array.isArray(v.routes) && v.routes.length > 0 && v.routes.every(isRoute);
}
