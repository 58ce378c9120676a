// The SiteHop data folder checked before the core opens it, so a broken one is one plain sentence. The core's first
// write (a lock file's mkdir) otherwise fails with Node's errno text ("EEXIST: file already exists, mkdir '…'"),
// which does not say that the folder is the problem, nor where its path came from.
import { mkdirSync, statSync } from 'node:fs';

/** Where the folder's path came from, for the sentence: a stray SITEHOP_HOME is the usual cause. */
function origin(env: NodeJS.ProcessEnv): string {
  return env.SITEHOP_HOME ? 'set by SITEHOP_HOME' : "SiteHop's default; SITEHOP_HOME sets another";
}

const reasons: Record<string, string> = {
  ENOTDIR: 'part of its path is a file, not a folder',
  ENOENT: 'part of its path leads nowhere (a link to a folder that is gone?)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
};

/** Makes the folder when it is missing; throws an Error whose message is the sentence when it cannot be used. */
export function checkHomeFolder(home: string, env: NodeJS.ProcessEnv): void {
  const isFile = ((): boolean => {
    try {
      return !statSync(home).isDirectory();
    } catch {
      return false;
    }
  })();
  if (isFile) throw new Error(`the SiteHop data folder ${home} (${origin(env)}) is a file, not a folder.`);
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const why = reasons[code] ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`cannot create the SiteHop data folder ${home} (${origin(env)}): ${why}.`, {
      cause: err,
    });
  }
}
