// Who holds a lock file (fs/file-lock.ts), and whether that process is certainly gone, so its lock can be taken over
// at once instead of after the age rule. A lock file holds "<pid> <host> <token> <pid namespace> <start time>".
//
// A pid means something only in its PID namespace: a `sitehop` in a Flatpak or snap sandbox (same hostname, its own
// PID namespace) beside the app has a pid that is absent, or another process, in the app's namespace; judged by
// `kill(pid, 0)` alone it looked dead and its lock was taken over while it held it, and it took the app's the same
// way. So the pid is judged only when the lock names this process's namespace (the inode of /proc/self/ns/pid on
// Linux; other systems have no PID namespaces). A pid can also be reused by a later process: the holder's start time
// (/proc/<pid>/stat, field 22) is kept too, and a live pid that started at another time is not the holder. A lock
// that does not say its namespace (an older SiteHop's "<pid> <host> <token>") is left to the age rule.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';

/** This process's PID namespace: equal strings mean the same namespace; '?' when it cannot be told (never equal). */
function pidNamespace(): string {
  if (process.platform !== 'linux') return 'none';
  try {
    const ns = statSync('/proc/self/ns/pid');
    return `pidns:${ns.dev}:${ns.ino}`;
  } catch {
    return '?';
  }
}

/** When the process `pid` of this namespace started (clock ticks since boot), or null where that cannot be read. */
function startTime(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, start time 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

let self: { namespace: string; start: string } | null = null;
const thisProcess = (): { namespace: string; start: string } =>
  (self ??= { namespace: pidNamespace(), start: startTime('self') ?? '-' });

/** What this process writes in a lock file it takes; `token` makes it unique to this taking. */
export function holderLine(token: string): string {
  const me = thisProcess();
  return `${process.pid} ${os.hostname()} ${token} ${me.namespace} ${me.start}`;
}

const processGone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

/**
 * True only when the lock's holder is certainly gone: a process of this host and this PID namespace that is not
 * running, or whose pid now belongs to a process started at another time. Anything else (another host, another
 * namespace, a lock that does not say, one being written this instant) is for the age rule.
 */
export function holderGone(line: string): boolean {
  const [pidText, host, , namespace, start] = line.split(' ');
  const pid = Number(pidText);
  if (!(pid > 0) || !Number.isInteger(pid) || host !== os.hostname()) return false;
  const me = thisProcess();
  if (namespace === undefined || namespace === '?' || namespace !== me.namespace) return false;
  if (processGone(pid)) return true;
  if (start === undefined || start === '-') return false;
  const now = startTime(pid);
  return now !== null && now !== start;
}
