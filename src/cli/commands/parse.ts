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
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
