// Recursive-descent parser for the filter subset, with CEL's precedence: || < && < relations (== != < <= > >= in)
// < unary ! < primary. The one function ngrok documents, `timestamp("RFC3339")` / `timestamp(time.now)`, with
// `.add("24h")` / `.subtract("7d")` on its result, is parsed; other calls, indexing and arithmetic are rejected
// with a message, never a crash.
import type { Node } from './ast';
import { FilterSyntaxError, tokenize, type Token } from './tokenize';

const MAX_LENGTH = 4096;
const MAX_DEPTH = 50;
const RELATIONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new FilterSyntaxError(`expected "${v}" at ${this.peek().at}`);
    this.i++;
  }
  private describe(t: Token): string {
    return t.t === 'end' ? 'end of filter' : `"${String(t.v)}" at ${t.at}`;
  }

  parseAll(): Node {
    const node = this.or();
    const t = this.peek();
    if (t.t !== 'end') throw new FilterSyntaxError(`unexpected ${this.describe(t)}`);
    return node;
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new FilterSyntaxError('the filter is nested too deeply');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private or(): Node {
    let l = this.and();
    while (this.isOp('||')) {
      this.i++;
      l = { k: 'or', l, r: this.and() };
    }
    return l;
  }

  private and(): Node {
    let l = this.relation();
    while (this.isOp('&&')) {
      this.i++;
      l = { k: 'and', l, r: this.relation() };
    }
    return l;
  }

  private relation(): Node {
    const l = this.unary();
    const t = this.peek();
    if (t.t === 'op' && RELATIONS.has(t.v)) {
      this.i++;
      return { k: 'cmp', op: t.v as '==', l, r: this.unary() };
    }
    if (t.t === 'ident' && t.v === 'in') {
      this.i++;
      return { k: 'in', l, r: this.unary() };
    }
    return l;
  }

  private unary(): Node {
    if (this.isOp('!')) {
      this.i++;
      return this.nest(() => ({ k: 'not', e: this.unary() }));
    }
    return this.primary();
  }

  private primary(): Node {
    const t = this.peek();
    let node: Node;
    if (t.t === 'string' || t.t === 'number') {
      this.i++;
      node = { k: 'lit', v: t.v };
    } else if (t.t === 'op' && t.v === '(') {
      this.i++;
      node = this.nest(() => this.or());
      this.expectOp(')');
    } else if (t.t === 'op' && t.v === '[') {
      this.i++;
      const items: Node[] = [];
      if (!this.isOp(']')) {
        items.push(this.nest(() => this.or()));
        while (this.isOp(',')) {
          this.i++;
          items.push(this.nest(() => this.or()));
        }
      }
      this.expectOp(']');
      node = { k: 'list', items };
    } else if (t.t === 'ident') {
      node = this.identifier();
    } else {
      throw new FilterSyntaxError(`unexpected ${this.describe(t)}`);
    }
    if (this.isOp('[')) throw new FilterSyntaxError(`index access is not supported (at ${this.peek().at})`);
    if (node.k === 'ts') node = this.shifts(node);
    if (this.isOp('('))
      throw new FilterSyntaxError(`functions are not supported by the sandbox (at ${this.peek().at})`);
    return node;
  }

  /** `.add("…")` / `.subtract("…")` after a timestamp, any number of times. */
  private shifts(node: Node): Node {
    let out = node;
    while (this.isOp('.')) {
      const name = this.tokens[this.i + 1];
      if (name?.t !== 'ident' || (name.v !== 'add' && name.v !== 'subtract'))
        throw new FilterSyntaxError(`a timestamp only has .add() and .subtract() (at ${this.peek().at})`);
      this.i += 2;
      this.expectOp('(');
      const dur = this.peek();
      if (dur.t !== 'string') throw new FilterSyntaxError(`expected a duration such as "24h" at ${dur.at}`);
      this.i++;
      this.expectOp(')');
      out = { k: 'shift', e: out, sign: name.v === 'add' ? 1 : -1, dur: dur.v };
    }
    return out;
  }

  private identifier(): Node {
    const t = this.peek() as Extract<Token, { t: 'ident' }>;
    this.i++;
    if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
    if (t.v === 'null') return { k: 'lit', v: null };
    if (t.v === 'timestamp' && this.isOp('(')) {
      this.i++;
      let arg: Node;
      const a = this.peek();
      if (a.t === 'string') {
        this.i++;
        arg = { k: 'lit', v: a.v };
      } else if (a.t === 'ident' && a.v === 'time') {
        this.i++;
        this.expectOp('.');
        const now = this.peek();
        if (now.t !== 'ident' || now.v !== 'now')
          throw new FilterSyntaxError(`expected time.now at ${now.at}`);
        this.i++;
        arg = { k: 'now' };
      } else throw new FilterSyntaxError(`timestamp() takes an RFC 3339 string or time.now (at ${a.at})`);
      this.expectOp(')');
      return { k: 'ts', arg };
    }
    if (this.isOp('(')) throw new FilterSyntaxError(`function "${t.v}" is not supported by the sandbox`);
    if (t.v !== 'obj')
      throw new FilterSyntaxError(`undeclared reference "${t.v}" at ${t.at}; fields are read as obj.<field>`);
    const parts: string[] = [];
    while (this.isOp('.')) {
      this.i++;
      const name = this.peek();
      if (name.t !== 'ident') throw new FilterSyntaxError(`expected a field name after "." at ${name.at}`);
      this.i++;
      if (this.isOp('(')) throw new FilterSyntaxError(`function "${name.v}" is not supported by the sandbox`);
      parts.push(name.v);
    }
    if (parts.length === 0) throw new FilterSyntaxError('"obj" must be followed by a field, as in obj.id');
    return { k: 'field', name: parts.join('.') };
  }
}

/** Parses a filter expression; throws FilterSyntaxError with a human message. */
export function parseFilter(src: string): Node {
  if (src.length > MAX_LENGTH)
    throw new FilterSyntaxError(`the filter is longer than ${MAX_LENGTH} characters`);
  if (src.trim() === '') throw new FilterSyntaxError('the filter is empty');
  return new Parser(tokenize(src)).parseAll();
}
