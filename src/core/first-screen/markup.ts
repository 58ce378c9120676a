// A checked first-screen tree (shared/first-screen.ts) written as HTML. Every text and attribute value is escaped
// here, and only the listed tags and attributes exist in the tree, so the markup can hold nothing but inert,
// styled elements; relative times are written as of `now`.
import type { FirstScreenNode } from '../../shared/first-screen';
import { relativeTime } from '../../shared/relative-time';

const VOID = new Set(['input']);

const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeValue = (s: string): string => escapeText(s).replace(/"/g, '&quot;');

export function firstScreenMarkup(node: FirstScreenNode, now: number): string {
  if (typeof node === 'string') return escapeText(node);
  if (!Array.isArray(node)) return escapeText(relativeTime(node.since, now));
  const [tag, attributes, ...children] = node;
  let out = `<${tag}`;
  for (const [name, value] of Object.entries(attributes)) out += ` ${name}="${escapeValue(value)}"`;
  out += '>';
  if (VOID.has(tag)) return out;
  for (const child of children) out += firstScreenMarkup(child, now);
  return `${out}</${tag}>`;
}
