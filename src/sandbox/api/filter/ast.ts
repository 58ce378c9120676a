// Syntax tree of a parsed filter.
export type Literal = string | number | boolean | null;

export type Node =
  | { k: 'lit'; v: Literal }
  | { k: 'field'; name: string }
  | { k: 'list'; items: Node[] }
  | { k: 'not'; e: Node }
  | { k: 'and' | 'or'; l: Node; r: Node }
  | { k: 'cmp'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; l: Node; r: Node }
  | { k: 'in'; l: Node; r: Node }
  /** `timestamp("RFC3339")` or `timestamp(time.now)`. */
  | { k: 'ts'; arg: Node }
  /** `time.now`: only valid as timestamp()'s argument. */
  | { k: 'now' }
  /** `<timestamp>.add("24h")` / `.subtract("7d")`. */
  | { k: 'shift'; e: Node; sign: 1 | -1; dur: string };
