// A checked first-screen tree (shared/first-screen.ts) written as HTML. Every text and attribute value is escaped
// here, and only the listed tags and attributes exist in the tree, so the markup can hold nothing but inert,
// styled elements; relative times are written as of `now`.
import type { FirstScreenNode } from '../../shared/first-screen';
import { relativeTime } from '../../shared/relative-time';

const VOID = new Set(['input']);

const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeValue = (s: string): string => escapeText(s).replace(/"/g, '&quot;');

/** The markup with its relative times left out: `parts` around the times `since`, written once per kept screen. */
export interface MarkupTemplate {
  parts: string[];
  since: string[];
}

export function markupTemplate(node: FirstScreenNode): MarkupTemplate {
  const parts: string[] = [];
  const since: string[] = [];
  let out = '';
  const write = (n: FirstScreenNode): void => {
    if (typeof n === 'string') {
      out += escapeText(n);
      return;
    }
    if (!Array.isArray(n)) {
      parts.push(out);
      since.push(n.since);
      out = '';
      return;
    }
    const [tag, attributes, ...children] = n;
    out += `<${tag}`;
    for (const [name, value] of Object.entries(attributes)) out += ` ${name}="${escapeValue(value)}"`;
    out += '>';
    if (VOID.has(tag)) return;
    for (const child of children) write(child);
    out += `</${tag}>`;
  };
  write(node);
  parts.push(out);
  return { parts, since };
}

export function renderTemplate(template: MarkupTemplate, now: number): string {
  let out = template.parts[0]!;
  for (let i = 0; i < template.since.length; i++)
    out += escapeText(relativeTime(template.since[i]!, now)) + template.parts[i + 1]!;
  return out;
}

export function firstScreenMarkup(node: FirstScreenNode, now: number): string {
  return renderTemplate(markupTemplate(node), now);
}
