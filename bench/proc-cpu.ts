// CPU time (user + system, ms) spent by the processes a bench involves, read from /proc: this process (core and
// the harness), the relay child, sshd, and Chromium (all its processes). Timings swing with the machine's load;
// CPU per byte in each process says where the work is, whatever else runs.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

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

/**
 * The scheduler's own figures for every renderer main thread of the bench's Chromium, by pid: time run on a CPU,
 * time spent runnable on a run queue waiting for one (preempted or woken with both cores taken), and the number of
 * times it was put on a CPU (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds). Wall time with work queued but
 * neither running nor waiting for a CPU is the thread sleeping: waiting on a timer, a frame or another thread.
 */
export function rendererSchedstat(chromiumPid: number | undefined): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // A renderer of this bench's Chromium: its parent is a zygote under the browser (two or three hops).
      let parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!;
      let ours = false;
      for (let hops = 0; hops < 4 && parent !== '0' && !ours; hops++) {
        if (parent === String(chromiumPid)) ours = true;
        else {
          const s = readFileSync(`/proc/${parent}/stat`, 'utf8');
          parent = s.slice(s.lastIndexOf(')') + 2).split(' ')[1]!;
        }
      }
      if (!ours) continue;
      out.set(pid, readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number));
    } catch {
      // The renderer ended meanwhile.
    }
  }
  return out;
}

/**
 * Idle and total jiffies of the whole machine, all cores together (/proc/stat's first line: user to steal; guest
 * time is already counted in user).
 */
export function machineJiffies(): { idle: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1, 9).map(Number);
  return { idle: cpu[3]! + cpu[4]!, total: cpu.reduce((a, b) => a + b, 0) };
}

export interface SchedReading {
  threads: Map<string, number[]>;
  machine: { idle: number; total: number };
  at: number;
}

export const schedReading = (chromiumPid: number | undefined): SchedReading => ({
  threads: rendererSchedstat(chromiumPid),
  machine: machineJiffies(),
  at: performance.now(),
});

/**
 * Where the page's main thread spent a run's wall time (the busiest renderer main thread between two readings): on a
 * CPU, waiting on a run queue for one (runnable: preempted, or woken while every core was taken), or asleep (nothing
 * queued for it: dry, or waiting for a frame). And the whole machine's busy CPU time, every process and kernel
 * thread: divided by the cores, the shortest the run could have taken had the scheduler packed it perfectly.
 */
export function schedSpent(before: SchedReading, after: SchedReading): string {
  let best: number[] = [0, 0, 0];
  for (const [pid, a] of after.threads) {
    const b = before.threads.get(pid) ?? [0, 0, 0];
    const d = a.map((v, i) => v - b[i]!);
    if (d[0]! > best[0]!) best = d;
  }
  const wall = after.at - before.at;
  const [run, wait, slices] = [best[0]! / 1e6, best[1]! / 1e6, best[2]!];
  const busy =
    (after.machine.total - after.machine.idle - (before.machine.total - before.machine.idle)) * TICK_MS;
  const cores = cpus().length;
  const ms = (n: number) => `${Math.round(n)} ms`;
  return (
    `of ${ms(wall)}, the page's main thread ran ${ms(run)}, waited for a CPU ${ms(wait)} (${slices} slices), ` +
    `slept ${ms(Math.max(0, wall - run - wait))}; the machine was busy ${ms(busy)} of its ${cores} cores' ` +
    `${ms(wall * cores)} (at best ${ms(Math.max(run, busy / cores))} on ${cores} cores)`
  );
}

/**
 * Every thread on the machine by "pid/tid" → [run ns, runqueue wait ns, slices], and its name, "comm (process comm)"
 * (kernel workers rename themselves as they take work, so names are not keys).
 */
export function allThreads(): Map<string, number[]> & { names?: Map<string, string> } {
  const out: Map<string, number[]> & { names?: Map<string, string> } = new Map();
  const names = new Map<string, string>();
  out.names = names;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const pcomm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const s = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
        out.set(`${pid}/${tid}`, s);
        names.set(`${pid}/${tid}`, `${comm} (${pcomm})`);
      }
    } catch {
      // Ended meanwhile.
    }
  }
  return out;
}

/** The threads that ran most or were switched in most between two readings, one line each. */
export function busiestThreads(
  before: Map<string, number[]>,
  after: ReturnType<typeof allThreads>,
  top = 14,
): string {
  const rows = [...after].map(([id, a]) => {
    const b = before.get(id) ?? [0, 0, 0];
    return {
      k: `${after.names?.get(id) ?? '?'} ${id}`,
      run: (a[0]! - b[0]!) / 1e6,
      wait: (a[1]! - b[1]!) / 1e6,
      slices: a[2]! - b[2]!,
    };
  });
  const pick = new Set([
    ...[...rows].sort((x, y) => y.run - x.run).slice(0, top),
    ...[...rows].sort((x, y) => y.slices - x.slices).slice(0, top),
  ]);
  return [...pick]
    .sort((x, y) => y.run - x.run)
    .map((r) => `  ${r.k}: ran ${Math.round(r.run)} ms, waited ${Math.round(r.wait)} ms, ${r.slices} slices`)
    .join('\n');
}
