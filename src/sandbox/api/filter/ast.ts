// Syntax tree of a parsed filter.
export type Literal = string | number | boolean | null;

export type Node =
  | { k: 'lit'; v: Literal }
  | { k: 'field'; name: string }
  | { k: 'list'; items: Node[] }
  | { k: 'not'; e: Node }
  | { k: 'and' | 'or'; l: Node; r: Node }
  | { k: 'cmp'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; l: Node; r: Node }
  | { k: 'in'; l: Node; r: Node };
