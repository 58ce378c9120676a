// Type-checks a parsed filter against a collection's fields and turns it into a predicate. Checking up front
// means a bad filter is a 400 even when the collection is empty, as with CEL on ngrok.
import type { AnyItem, CollectionName } from '../../state/types';
import type { Literal, Node } from './ast';
import { FILTER_FIELDS, type FieldDef } from './fields';
import { parseFilter } from './parse';
import { FilterSyntaxError } from './tokenize';

type Ty = 'string' | 'number' | 'bool' | 'null' | 'list' | 'timestamp';
type Value = Literal | Value[];
type Eval = (item: AnyItem) => Value;

function typeName(t: Ty): string {
  return t === 'number' ? 'int' : t;
}

/** RFC 3339 as CEL's timestamp() takes it: date, time, optional fraction, Z or an offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch; throws FilterSyntaxError (a 400, as ngrok answers a bad timestamp). */
function parseTimestamp(text: string): number {
  const t = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(t)) throw new FilterSyntaxError(`"${text}" is not an RFC 3339 timestamp`);
  return t;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A Go/CEL duration ("24h", "1h30m", "1.5s"), plus the docs' "7d". */
function parseDuration(text: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h|d))+$/.test(text)
    ? [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d)/g)]
    : [];
  if (parts.length === 0) throw new FilterSyntaxError(`"${text}" is not a duration such as "24h" or "7d"`);
  return parts.reduce((ms, m) => ms + Number(m[1]) * DURATION_UNITS[m[2]!]!, 0);
}

/** Unset string fields read as "" (CEL's proto default); lists as [], bools as false, timestamps as the epoch. */
function readField(def: FieldDef, item: AnyItem): Value {
  const v = def.get(item);
  if (def.type === 'timestamp') {
    const t = typeof v === 'string' ? Date.parse(v) : NaN;
    return Number.isFinite(t) ? t : 0;
  }
  if (def.type === 'list') return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  if (def.type === 'bool') return v === true;
  return typeof v === 'string' ? v : '';
}

/** Equality where null also matches "" so `obj.metadata == null` and `== ""` both find unset metadata. */
function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return (a ?? '') === (b ?? '');
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]!))
    );
  }
  return a === b;
}

function literalType(v: Literal): Ty {
  return v === null ? 'null' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
}

function compileNode(
  node: Node,
  fields: Record<string, FieldDef>,
  collection: string,
  now: () => number,
): { ty: Ty; ev: Eval } {
  const sub = (n: Node): { ty: Ty; ev: Eval } => compileNode(n, fields, collection, now);
  switch (node.k) {
    case 'now':
      throw new FilterSyntaxError('time.now is only valid inside timestamp()');
    case 'ts': {
      if (node.arg.k === 'now') return { ty: 'timestamp', ev: () => now() };
      const t = parseTimestamp(String((node.arg as { v: unknown }).v));
      return { ty: 'timestamp', ev: () => t };
    }
    case 'shift': {
      const e = sub(node.e);
      const ms = node.sign * parseDuration(node.dur);
      return { ty: 'timestamp', ev: (item) => (e.ev(item) as number) + ms };
    }
    case 'lit':
      return { ty: literalType(node.v), ev: () => node.v };
    case 'field': {
      const def = fields[node.name];
      if (!def) {
        const known = Object.keys(fields).sort().join(', ');
        throw new FilterSyntaxError(
          `${collection} cannot be filtered on "obj.${node.name}"; the fields are: ${known}`,
        );
      }
      return { ty: def.type, ev: (item) => readField(def, item) };
    }
    case 'list': {
      const items = node.items.map((n) => sub(n));
      return { ty: 'list', ev: (item) => items.map((c) => c.ev(item)) };
    }
    case 'not': {
      const e = sub(node.e);
      if (e.ty !== 'bool') throw new FilterSyntaxError(`"!" needs a bool, not ${typeName(e.ty)}`);
      return { ty: 'bool', ev: (item) => !e.ev(item) };
    }
    case 'and':
    case 'or': {
      const l = sub(node.l);
      const r = sub(node.r);
      const sym = node.k === 'and' ? '&&' : '||';
      if (l.ty !== 'bool' || r.ty !== 'bool')
        throw new FilterSyntaxError(
          `"${sym}" needs bools on both sides, not ${typeName(l.ty)} and ${typeName(r.ty)}`,
        );
      return node.k === 'and'
        ? { ty: 'bool', ev: (item) => l.ev(item) === true && r.ev(item) === true }
        : { ty: 'bool', ev: (item) => l.ev(item) === true || r.ev(item) === true };
    }
    case 'cmp': {
      const l = sub(node.l);
      const r = sub(node.r);
      const op = node.op;
      if (op === '==' || op === '!=') {
        if (l.ty !== r.ty && l.ty !== 'null' && r.ty !== 'null') {
          throw new FilterSyntaxError(
            `no matching overload for "${op}" on ${typeName(l.ty)} and ${typeName(r.ty)}`,
          );
        }
        return op === '=='
          ? { ty: 'bool', ev: (item) => equal(l.ev(item), r.ev(item)) }
          : { ty: 'bool', ev: (item) => !equal(l.ev(item), r.ev(item)) };
      }
      if (l.ty !== r.ty || (l.ty !== 'string' && l.ty !== 'number' && l.ty !== 'timestamp')) {
        throw new FilterSyntaxError(
          `no matching overload for "${op}" on ${typeName(l.ty)} and ${typeName(r.ty)}`,
        );
      }
      return {
        ty: 'bool',
        ev: (item) => {
          const a = l.ev(item) as string | number;
          const b = r.ev(item) as string | number;
          return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
        },
      };
    }
    case 'in': {
      const l = sub(node.l);
      const r = sub(node.r);
      if (r.ty !== 'list')
        throw new FilterSyntaxError(`the right side of "in" must be a list, not ${typeName(r.ty)}`);
      return { ty: 'bool', ev: (item) => (r.ev(item) as Value[]).some((x) => equal(l.ev(item), x)) };
    }
  }
}

/** A predicate for `filter` on `collection`; throws FilterSyntaxError with a message for the 400 body. */
export function compileFilter(
  collection: CollectionName,
  src: string,
  now: () => number = Date.now,
): (item: AnyItem) => boolean {
  const fields = FILTER_FIELDS[collection];
  if (!fields) throw new FilterSyntaxError(`${collection} does not support filtering`);
  const root = compileNode(parseFilter(src), fields, collection, now);
  if (root.ty !== 'bool')
    throw new FilterSyntaxError(`the filter must be a condition (bool), not ${typeName(root.ty)}`);
  return (item) => root.ev(item) === true;
}

export { FilterSyntaxError } from './tokenize';
