// Reads a --state FILE. Objects are kept as ngrok shapes (unknown fields included, as ngrok may add fields);
// only the outline is checked here, so a typo gives a clear message instead of an empty sandbox.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { COLLECTIONS, type SandboxStateFile } from './types';

const item = z.looseObject({ id: z.string().min(1) });
const schema = z.strictObject({
  ...Object.fromEntries(COLLECTIONS.map((c) => [c, z.array(item).optional()])),
  sandbox: z
    .strictObject({
      offline_tunnel_sessions: z.array(z.string()).optional(),
      agent_labels: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

/** Validates parsed JSON as a state file; throws an Error naming the first problem. */
export function parseStateFile(data: unknown): SandboxStateFile {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the file';
    throw new Error(`invalid sandbox state: ${where}: ${issue.message}`);
  }
  return data as SandboxStateFile;
}

export async function loadStateFile(file: string): Promise<SandboxStateFile> {
  const text = await readFile(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  return parseStateFile(data);
}
