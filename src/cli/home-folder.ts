// The SiteHop data folder checked before the core opens it, so a broken one is one plain sentence. The core's first
// write (a lock file's mkdir) otherwise fails with Node's errno text ("EEXIST: file already exists, mkdir '…'"),
// which does not say that the folder is the problem, nor where its path came from.
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where the folder's path came from, for the sentence: a stray SITEHOP_HOME is the usual cause. */
function origin(env: NodeJS.ProcessEnv): string {
  return env.SITEHOP_HOME ? 'set by SITEHOP_HOME' : "SiteHop's default; SITEHOP_HOME sets another";
}

const reasons: Record<string, string> = {
  ENOTDIR: 'part of its path is a file, not a folder',
  ENOENT: 'part of its path leads nowhere (a link to a folder that is gone, or a system folder)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
};

/** Makes the folder when it is missing; throws an Error whose message is the sentence when it cannot be used. */
export function checkHomeFolder(home: string, env: NodeJS.ProcessEnv): void {
  let isFolder: boolean;
  try {
    // The missing folders made one by one from the top: mkdirSync's recursive mode spins forever where mkdir
    // answers ENOENT under a folder that exists (/proc on Linux, Node 20).
    const missing: string[] = [];
    for (let at = home; !lstatSync(at, { throwIfNoEntry: false }); at = path.dirname(at)) missing.unshift(at);
    for (const folder of missing) mkdirSync(folder, { mode: 0o700 });
    isFolder = statSync(home).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const why = reasons[code] ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`cannot create the SiteHop data folder ${home} (${origin(env)}): ${why}.`, {
      cause: err,
    });
  }
  if (!isFolder) throw new Error(`the SiteHop data folder ${home} (${origin(env)}) is a file, not a folder.`);
}
