// Tokens of the CEL subset the sandbox accepts in `?filter=` (docs/ngrok-api.md §3).
export type Token =
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

export class FilterSyntaxError extends Error {}

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', ',', '.'];
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '/': '/',
};

function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start]!;
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === quote) return { value: out, end: i + 1 };
    if (c === '\n') break;
    if (c === '\\') {
      const e = src[i + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      if (e === undefined || !(e in ESCAPES)) throw new FilterSyntaxError(`bad escape in string at ${i + 1}`);
      out += ESCAPES[e];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw new FilterSyntaxError(`unterminated string starting at ${start + 1}`);
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = readString(src, i);
      tokens.push({ t: 'string', v: value, at: i + 1 });
      i = end;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' || tokens.length === 0 || tokens.at(-1)!.t === 'op')) {
      tokens.push({ t: 'number', v: Number(num[0]), at: i + 1 });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (ident) {
      tokens.push({ t: 'ident', v: ident[0], at: i + 1 });
      i += ident[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op && '+-*/%?:'.includes(c))
      throw new FilterSyntaxError(`operator "${c}" is not supported (at ${i + 1})`);
    if (!op) throw new FilterSyntaxError(`unexpected character "${c}" at ${i + 1}`);
    tokens.push({ t: 'op', v: op, at: i + 1 });
    i += op.length;
  }
  tokens.push({ t: 'end', at: src.length + 1 });
  return tokens;
}
