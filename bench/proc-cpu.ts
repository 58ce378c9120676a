// CPU time (user + system, ms) spent by the processes a bench involves, read from /proc: this process (core and
// the harness), the relay child, sshd, and Chromium (all its processes). Timings swing with the machine's load;
// CPU per byte in each process says where the work is, whatever else runs.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function cpuByProcess(
  relayPid: number | undefined,
  chromiumPid: number | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  const stats = new Map<string, { comm: string; fields: string[] }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      stats.set(pid, { comm, fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') });
    } catch {
      // The process ended meanwhile.
    }
  }
  // Only the bench's own Chromium (other helpers' browsers run on this machine too): its browser and descendants.
  const fromOurChromium = (pid: string): boolean => {
    for (let p = pid, hops = 0; p !== '0' && hops < 20; hops++) {
      if (p === String(chromiumPid)) return true;
      p = stats.get(p)?.fields[1] ?? '0';
    }
    return false;
  };
  for (const [pid, { comm, fields }] of stats) {
    let key: string;
    if (pid === String(process.pid)) key = 'core+harness';
    else if (pid === String(relayPid)) key = 'relay';
    else if (comm === 'sshd') key = 'sshd+commands (all sessions on the shared test sshd)';
    // All of Chromium's processes together: it rewrites its helpers' command lines (a zygote child reads as the
    // browser for a while), so telling them apart from /proc misfiled CPU between readings.
    else if (fromOurChromium(pid)) key = 'chromium';
    else continue;
    // sshd also with its reaped children (cutime, cstime): a session's processes and the commands its shell ran
    // (`head`, `tr`) have ended by the time the run's second reading is taken, and their CPU then lives only there.
    const ticks =
      Number(fields[11]) +
      Number(fields[12]) +
      (comm === 'sshd' ? Number(fields[13]) + Number(fields[14]) : 0);
    const ms = ticks * TICK_MS;
    out.set(key, (out.get(key) ?? 0) + ms);
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
