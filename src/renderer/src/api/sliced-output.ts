// Replies that carry a whole directory (10,000 devices: ~7.5 MB) are checked against the contract a slice of sites
// at a time, giving the page back between slices: checked in one go, the check (zod without code generation, as
// the CSP allows) held the page for 0.3-0.8 s after every sync that kept a new directory, keys and scrolling
// included. The result is what the whole schema gives: the other fields through the schema with the array left
// open, then each element through the element's schema, in order.
import { z } from 'zod';
import { calls, type CallName } from '../../../shared/contract';

/** Gives the page back for a moment; not throttled in a hidden page as timers are. */
export type YieldToPage = () => Promise<void>;

export const yieldToPage: YieldToPage = () =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

interface Sliced {
  field: string;
  rest: z.ZodType;
  item: z.ZodType;
}

function sliced(schema: z.ZodObject, field: string): Sliced {
  const array = schema.shape[field];
  if (!(array instanceof z.ZodArray)) throw new Error(`${field} is not an array`);
  return { field, rest: schema.extend({ [field]: z.array(z.unknown()) }), item: array.element as z.ZodType };
}

const SLICED: Partial<Record<CallName, Sliced>> = {
  'directory.get': sliced(calls['directory.get'].output, 'sites'),
  'directory.sync': sliced(calls['directory.sync'].output, 'sites'),
};

/** Checking time per slice before the page is given back. */
const SLICE_MS = 8;

/**
 * The reply checked as `calls[name].output` checks it; null when it does not conform. Only calls listed above are
 * checked in slices; the others in one go.
 */
export async function checkOutput(
  name: CallName,
  value: unknown,
  options: { yieldToPage?: YieldToPage; now?: () => number } = {},
): Promise<{ data: unknown } | null> {
  const spec = SLICED[name];
  if (!spec) {
    const parsed = calls[name].output.safeParse(value);
    return parsed.success ? { data: parsed.data } : null;
  }
  const rest = spec.rest.safeParse(value);
  if (!rest.success) return null;
  const items = (rest.data as Record<string, unknown[]>)[spec.field]!;
  const pause = options.yieldToPage ?? yieldToPage;
  const now = options.now ?? (() => performance.now());
  const out: unknown[] = new Array<unknown>(items.length);
  let since = now();
  for (let i = 0; i < items.length; i++) {
    const parsed = spec.item.safeParse(items[i]);
    if (!parsed.success) return null;
    out[i] = parsed.data;
    if (i + 1 < items.length && now() - since >= SLICE_MS) {
      await pause();
      since = now();
    }
  }
  return { data: { ...(rest.data as object), [spec.field]: out } };
}
