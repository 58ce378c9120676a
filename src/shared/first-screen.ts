// The window's first screen as the renderer last painted it (the directory at the top, nothing open), kept by the
// core and served inside the page, so a cold start shows the directory before the app's script has run; the app
// then replaces it with the same screen, live. VS Code paints its last layout before its workbench loads for the
// same reason: a fresh renderer needs a few hundred milliseconds before any script runs.
//
// It travels as a tree of listed tags and attributes, never as HTML: the core writes the markup itself and escapes
// every text and value, so a saved screen cannot carry a script, link, form, frame or image, whatever sent it.
import { z } from 'zod';

export const FIRST_SCREEN_TAGS = [
  'div',
  'span',
  'header',
  'main',
  'section',
  'ul',
  'li',
  'h1',
  'h2',
  'h3',
  'p',
  'button',
  'label',
  'input',
  'select',
  'option',
  'code',
  'strong',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
] as const;
const Tag = z.enum(FIRST_SCREEN_TAGS);

/** Attribute names a first screen may carry: presentation, roles and names; no URL, no event handler. */
export const FIRST_SCREEN_ATTRIBUTE =
  /^(class|id|role|style|title|type|value|placeholder|autocomplete|spellcheck|hidden|tabindex|selected|disabled|aria-[a-z]{1,20}|data-[a-z][a-z0-9-]{0,30})$/;

export const FIRST_SCREEN_LIMITS = {
  /** Elements and texts: the directory's first screen is about 400 elements. */
  nodes: 4000,
  depth: 32,
  text: 2000,
  attributes: 24,
} as const;

/**
 * A text, a time shown relative to now (written when the screen is served), or an element:
 * `[tag, attributes, ...children]`.
 */
export type FirstScreenNode =
  string | { since: string } | [string, Record<string, string>, ...FirstScreenNode[]];

const Text = z.string().max(FIRST_SCREEN_LIMITS.text);
const Since = z.object({ since: z.iso.datetime({ offset: true }) }).strict();
const Attributes = z
  .record(z.string().regex(FIRST_SCREEN_ATTRIBUTE), Text)
  .refine((a) => Object.keys(a).length <= FIRST_SCREEN_LIMITS.attributes, 'too many attributes');
const Node: z.ZodType<FirstScreenNode> = z.lazy(() =>
  z.union([Text, Since, z.tuple([Tag, Attributes]).rest(Node)]),
) as z.ZodType<FirstScreenNode>;

/** Size and depth, counted without recursion before the schema's own (recursive) check runs. */
function withinLimits(root: unknown): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (++nodes > FIRST_SCREEN_LIMITS.nodes || depth > FIRST_SCREEN_LIMITS.depth) return false;
    if (Array.isArray(node)) for (let i = 2; i < node.length; i++) stack.push([node[i], depth + 1]);
  }
  return true;
}

export const FirstScreenTree = z
  .unknown()
  .refine(withinLimits, `a first screen has at most ${FIRST_SCREEN_LIMITS.nodes} nodes`)
  .pipe(Node);

export const FirstScreenSave = z
  .object({
    workspaceId: z.string().min(1).max(200),
    /** The directory the screen shows (its syncedAt): a screen of an older one is not kept. */
    syncedAt: z.string().min(1).max(40),
    /** How many devices it shows: what a later directory must still have in the same state to be served it. */
    devices: z.number().int().min(1).max(1000),
    /** The window's inner width when painted: the cards' layout holds for that width only. */
    width: z.number().int().min(200).max(20_000),
    /**
     * The window's inner height and its directory list's client box when painted: the next first start of a build
     * lays out a synthesized screen for the window from these (shared/first-screen-synth.ts). Optional: older
     * renderers do not send them.
     */
    height: z.number().int().min(200).max(20_000).optional(),
    listWidth: z.number().int().min(1).max(20_000).optional(),
    listHeight: z.number().int().min(1).max(20_000).optional(),
    screen: FirstScreenTree,
  })
  .strict();
export type FirstScreenSave = z.infer<typeof FirstScreenSave>;
