// The real probes behind client detection: a PATH lookup that returns absolute paths only, a version runner
// (execFile, no shell, short timeout) and a file check.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DetectProbes } from './detect';
import type { RdpOs } from './types';

export function systemProbes(os: RdpOs, env: NodeJS.ProcessEnv, timeoutMs = 3000): DetectProbes {
  const sep = os === 'win32' ? ';' : ':';
  return {
    os,
    env,
    which: async (name) => {
      const exts = os === 'win32' ? ['.exe'] : [''];
      for (const dir of (env.PATH ?? env.Path ?? '').split(sep)) {
        // Relative PATH entries (".", "") would resolve against the working directory: skipped.
        if (!dir || !path.isAbsolute(dir)) continue;
        for (const ext of exts) {
          const file = path.join(dir, name + ext);
          try {
            await access(file, constants.X_OK);
            if ((await stat(file)).isFile()) return file;
          } catch {
            // not here
          }
        }
      }
      return null;
    },
    run: (command, args) =>
      new Promise((resolve) => {
        execFile(
          command,
          args,
          { env, timeout: timeoutMs, shell: false, windowsHide: true, maxBuffer: 256 * 1024 },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
            if (err && code === null) return resolve(null);
            resolve({ code, output: `${stdout}${stderr}` });
          },
        );
      }),
    exists: async (file) => {
      try {
        await stat(file);
        return true;
      } catch {
        return false;
      }
    },
  };
}
