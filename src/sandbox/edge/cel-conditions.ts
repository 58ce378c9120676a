// A deliberately small subset of CEL for on_tcp_connect rule expressions, enough for the checks a TCP policy
// makes about the connection itself:
//   literals: 'str' "str" 42 true false [a, b]     variables: conn.client_ip conn.client_port conn.server_ip conn.server_port
//   operators: ! && || == != in ( )                 macros: inCidrRange(ip, 'cidr') inCidrRanges(ip, ['cidr', ...])
// Anything else (geo, TLS, other variables, methods, arithmetic) is reported as unsupported; the edge then
// treats the rule as not matching and logs why, rather than guessing.
import { inCidr, parseCidr, parseClientIp } from './ip-match';

export interface ConnFacts {
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
}

type Value = string | number | boolean | Value[];

export class UnsupportedCel extends Error {}

const TOKEN = /\s*(?:(\d+)|'([^'\\]*)'|"([^"\\]*)"|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|&&|\|\||[!()[\],.]))/y;

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'id'; value: string }
  | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new UnsupportedCel(`cannot read the expression at "${text.slice(at, at + 12)}"`);
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined || m[3] !== undefined)
      tokens.push({ kind: 'str', value: m[2] ?? m[3] ?? '' });
    else if (m[4] !== undefined) tokens.push({ kind: 'id', value: m[4] });
    else tokens.push({ kind: 'op', value: m[5]! });
  }
  return tokens;
}

const VARIABLES: Record<string, (f: ConnFacts) => Value> = {
  'conn.client_ip': (f) => f.clientIp,
  'conn.client_port': (f) => f.clientPort,
  'conn.server_ip': (f) => f.serverIp,
  'conn.server_port': (f) => f.serverPort,
};

function ipInCidrs(ip: Value, cidrs: Value[]): boolean {
  const addr = typeof ip === 'string' ? parseClientIp(ip) : undefined;
  if (!addr) throw new UnsupportedCel('inCidrRange needs an IP address');
  return cidrs.some((c) => {
    if (typeof c !== 'string') throw new UnsupportedCel('inCidrRange needs CIDR strings');
    return inCidr(addr, parseCidr(c));
  });
}

function equal(a: Value, b: Value): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]!))
    );
  }
  return a === b;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly facts: ConnFacts,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.pos < this.tokens.length)
      throw new UnsupportedCel(`unexpected "${this.tokens[this.pos]!.value}"`);
    return v;
  }

  private peekOp(op: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && (t.kind === 'op' || t.kind === 'id') && t.value === op;
  }

  private expect(op: string): void {
    if (!this.peekOp(op)) throw new UnsupportedCel(`expected "${op}"`);
    this.pos++;
  }

  // Both sides are always evaluated: no short-circuit, so an unsupported term is reported wherever it stands.
  private or(): Value {
    let v = this.and();
    while (this.peekOp('||')) {
      this.pos++;
      const r = this.and();
      v = bool(v) || bool(r);
    }
    return v;
  }

  private and(): Value {
    let v = this.unary();
    while (this.peekOp('&&')) {
      this.pos++;
      const r = this.unary();
      v = bool(v) && bool(r);
    }
    return v;
  }

  private unary(): Value {
    if (this.peekOp('!')) {
      this.pos++;
      return !bool(this.unary());
    }
    return this.comparison();
  }

  private comparison(): Value {
    const left = this.primary();
    for (const op of ['==', '!=', 'in']) {
      if (this.peekOp(op)) {
        this.pos++;
        const right = this.primary();
        if (op === '==') return equal(left, right);
        if (op === '!=') return !equal(left, right);
        if (!Array.isArray(right)) throw new UnsupportedCel('"in" is supported on lists only');
        return right.some((v) => equal(left, v));
      }
    }
    return left;
  }

  private list(): Value[] {
    const items: Value[] = [];
    this.expect('[');
    while (!this.peekOp(']')) {
      items.push(this.or());
      if (!this.peekOp(']')) this.expect(',');
    }
    this.expect(']');
    return items;
  }

  private primary(): Value {
    const t = this.tokens[this.pos];
    if (!t) throw new UnsupportedCel('the expression ends too early');
    if (t.kind === 'num' || t.kind === 'str') {
      this.pos++;
      return t.value;
    }
    if (t.kind === 'op') {
      if (t.value === '[') return this.list();
      if (t.value !== '(') throw new UnsupportedCel(`unexpected "${t.value}"`);
      this.pos++;
      const v = this.or();
      this.expect(')');
      return v;
    }
    this.pos++;
    if (t.value === 'true' || t.value === 'false') return t.value === 'true';
    if (this.peekOp('(')) return this.call(t.value);
    let path = t.value;
    while (this.peekOp('.')) {
      this.pos++;
      const next = this.tokens[this.pos++];
      if (next?.kind !== 'id') throw new UnsupportedCel('expected a name after "."');
      path += `.${next.value}`;
    }
    const read = VARIABLES[path];
    if (!read) throw new UnsupportedCel(`the variable ${path} is not supported by the sandbox`);
    if (this.peekOp('(')) throw new UnsupportedCel(`methods on ${path} are not supported by the sandbox`);
    return read(this.facts);
  }

  private call(name: string): Value {
    this.expect('(');
    const args: Value[] = [];
    while (!this.peekOp(')')) {
      args.push(this.or());
      if (!this.peekOp(')')) this.expect(',');
    }
    this.expect(')');
    const [ip, second] = args;
    if (args.length === 2 && name === 'inCidrRange' && typeof second === 'string')
      return ipInCidrs(ip!, [second]);
    if (args.length === 2 && name === 'inCidrRanges' && Array.isArray(second)) return ipInCidrs(ip!, second);
    throw new UnsupportedCel(`the function ${name} is not supported by the sandbox`);
  }
}

function bool(v: Value): boolean {
  if (typeof v !== 'boolean') throw new UnsupportedCel('a condition must be true or false');
  return v;
}

/** Evaluates one expression; throws UnsupportedCel for anything outside the subset (including bad CIDRs). */
export function evaluateCel(expression: string, facts: ConnFacts): boolean {
  try {
    return bool(new Parser(tokenize(expression), facts).parse());
  } catch (err) {
    if (err instanceof UnsupportedCel) throw err;
    throw new UnsupportedCel(err instanceof Error ? err.message : String(err));
  }
}
