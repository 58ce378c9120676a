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
    if (key === 'chromium') {
      // A renderer's main thread (its thread id is the process id; Chromium leaves its name alone on Linux): the
      // busiest one in a run is the page's, where xterm.js parses. Every other thread of every process can run on
      // the machine's other core.
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
        const main = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
        const f = main.slice(main.lastIndexOf(')') + 2).split(' ');
        out.set(`${MAIN_THREAD}${pid}`, (Number(f[11]) + Number(f[12])) * TICK_MS);
      } catch {
        // The renderer ended meanwhile.
      }
    }
  }
  return out;
}

const MAIN_THREAD = 'renderer main thread ';

/**
 * "name ms, …" of what each process spent between two readings, largest first; then the page's main thread (the
 * busiest renderer main thread) and everything outside it, which on a 2-core machine must fit on the other core.
 */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): string {
  const spent = [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
  const main = Math.max(0, ...spent.filter(([k]) => k.startsWith(MAIN_THREAD)).map(([, v]) => v));
  const processes = spent.filter(([k]) => !k.startsWith(MAIN_THREAD)).sort((a, b) => b[1] - a[1]);
  const total = processes.reduce((sum, [, v]) => sum + v, 0);
  return (
    processes.map(([k, v]) => `${k} ${v}`).join(', ') +
    `; the page's main thread ${main}, all else ${total - main}`
  );
}
