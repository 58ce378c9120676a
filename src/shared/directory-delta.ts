// A directory that differs from the one a window shows in a few sites travels as those sites, not as 10,000
// devices: a status sync every minute or two would otherwise make every window parse, check and index the whole
// directory again, a main-thread task of 0.1–0.3 s on a quiet machine, for a sync that usually changes nothing.
// The schema only; how a window takes a delta is in directory-delta-apply.ts (no zod there).
import { z } from 'zod';
import { Site } from './directory-types';

export const DirectoryDelta = z.object({
  /** The directory (its sync time) the delta applies to. */
  from: z.string(),
  /** Every site of the new directory, in its order, by id. */
  ids: z.array(z.string()),
  /** The sites that are new or changed, whole. Any other site is the one the window holds. */
  sites: z.array(Site),
});
export type DirectoryDelta = z.infer<typeof DirectoryDelta>;
