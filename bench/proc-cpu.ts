// CPU time (user + system, ms) spent by the processes a bench involves, read from /proc: this process (core and
// the harness), the relay child, sshd, and Chromium's processes by type. Timings swing with the machine's load;
// CPU per byte in each process says where the work is, whatever else runs.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function cpuByProcess(relayPid: number | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let key: string;
      if (pid === String(process.pid)) key = 'core+harness';
      else if (pid === String(relayPid)) key = 'relay';
      else if (comm === 'sshd') key = 'sshd';
      else if (comm.startsWith('chrom')) {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
        key = `chromium ${cmd.includes('NetworkService') ? 'network' : type}`;
      } else continue;
      const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      out.set(key, (out.get(key) ?? 0) + ms);
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/** "name ms, …" of what each process spent between two readings, largest first. */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
