// node:util parseArgs with its errors turned into usage errors (exit code 2), shared by the directory commands.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../io';

/** Options of the commands that list the directory (sites, devices). */
export const LIST_OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export function parseOrUsage<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(usageMessage(err));
  }
}

/**
 * node:util's parse error, first sentence only: its unknown-option text goes on with advice about '--' and
 * positionals that reads as garble to a technician who mistyped a flag.
 */
export function usageMessage(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split(/\. To specify|\n/)[0]!.trim();
  return /[.?!]$/.test(text) ? text : `${text}.`;
}
