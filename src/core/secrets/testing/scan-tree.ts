// Test helper: every file under a folder whose bytes contain the needle (used to prove a key never reached disk).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function filesContaining(root: string, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  const hits: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (readFileSync(file).includes(bytes)) hits.push(path.relative(root, file));
  }
  return hits;
}
