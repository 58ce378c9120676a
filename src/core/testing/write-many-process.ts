// TEST HELPER: another process making changes to a SiteHop home through the app's stores (write-many.ts), as a
// technician's `sitehop` runs beside the app would.
import { spawn } from 'node:child_process';
import path from 'node:path';

export type WriteKind =
  'favorite' | 'username' | 'recent' | 'workspace' | 'pin' | 'forget' | 'rdp-custom' | 'rdp-use';

const script = path.resolve('src/core/testing/write-many.ts');

/** Runs write-many.ts: `count` changes of `kind` in workspace `ws` (PREFIX-i each), one at a time; rejects with its stderr. */
export function writeMany(
  home: string,
  kind: WriteKind,
  ws: string,
  count: number,
  prefix: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, home, kind, ws, String(count), prefix],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${kind} exit ${code}: ${err.slice(-2000)}`)),
    );
  });
}
