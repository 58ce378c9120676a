// The painted window as a first-screen tree (shared/first-screen.ts): listed tags and attributes only, the state a
// control shows (selected option, input value) written as attributes, and relative times kept as times so the
// core writes them as of the next start. Elements outside the list are left out with their content.
import {
  FIRST_SCREEN_ATTRIBUTE,
  FIRST_SCREEN_LIMITS,
  FIRST_SCREEN_TAGS,
  type FirstScreenNode,
} from '../../../shared/first-screen';
import { relativeTime } from '../../../shared/relative-time';

const TAGS = new Set<string>(FIRST_SCREEN_TAGS);

/** The tree of `root` (the app's top element), or null when it would not fit the limits. */
export function screenTree(root: Element, now: number): FirstScreenNode | null {
  let count = 0;
  const walk = (node: Node, depth: number): FirstScreenNode | null => {
    if (++count > FIRST_SCREEN_LIMITS.nodes || depth > FIRST_SCREEN_LIMITS.depth)
      throw new RangeError('too big');
    if (node.nodeType === Node.TEXT_NODE) return (node.textContent ?? '').slice(0, FIRST_SCREEN_LIMITS.text);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const el = node as HTMLElement;
    const tag = el.tagName.toLowerCase();
    if (!TAGS.has(tag)) return null;
    const attributes: Record<string, string> = {};
    for (const a of Array.from(el.attributes)) {
      if (
        FIRST_SCREEN_ATTRIBUTE.test(a.name) &&
        Object.keys(attributes).length < FIRST_SCREEN_LIMITS.attributes - 2
      )
        attributes[a.name] = a.value.slice(0, FIRST_SCREEN_LIMITS.text);
    }
    // React sets these as properties, which the attributes do not show.
    if (el instanceof HTMLOptionElement) {
      if (el.selected) attributes.selected = '';
      else delete attributes.selected;
    }
    if (el instanceof HTMLInputElement) attributes.value = el.value.slice(0, FIRST_SCREEN_LIMITS.text);
    const since = el.dataset.since;
    const text = el.textContent ?? '';
    if (since && el.childElementCount === 0 && !Number.isNaN(Date.parse(since))) {
      const words = relativeTime(since, now);
      if (text.endsWith(words))
        return [tag, attributes, text.slice(0, text.length - words.length), { since }];
    }
    const children: FirstScreenNode[] = [];
    for (const child of Array.from(el.childNodes)) {
      const c = walk(child, depth + 1);
      if (c !== null) children.push(c);
    }
    return [tag, attributes, ...children];
  };
  try {
    return walk(root, 1);
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}
