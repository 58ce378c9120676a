// For SSH_BENCH_PERF_SCHED (bench/ssh.bench.ts): reads a `perf sched record` of one pipeline flood and says who ran
// on the page's core while its main thread waited for a CPU, and how the chain before the page (the device side, the
// relay and core) spread its CPU over the flood: in bursts that take both cores, or evenly.
import { execFileSync } from 'node:child_process';

interface Run {
  end: number;
  cpu: number;
  task: string;
  wait: number;
  delay: number;
  run: number;
  state: string;
}

const LINE = /^\s*([\d.]+)\s+\[(\d+)\]\s+(.+?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\S+)\s*$/;
/** perf names a thread "comm[tid/pid]" (or "comm[pid]" for a main thread); threads of one process count together. */
const byProcess = (task: string): string => task.replace(/\[\d+\/(\d+)\]$/, '[*/$1]');
/** The device side (sshd, the flood's `cat`, the tty's kernel workers); core and the relay are named by pid. */
const DEVICE_SIDE = /^(sshd|sshd-session|cat|kworker\/u)/;

export function perfSchedSummary(
  file: string,
  mainPids: string[],
  /** Processes of the chain by pid, with the name to print (core, the relay). */
  chainProcesses: Array<[number, string]>,
): string {
  const ofChain = (task: string): string | undefined =>
    chainProcesses.find(([pid]) => task.endsWith(`[${pid}]`) || task.endsWith(`/${pid}]`))?.[1];
  const inChain = (task: string): boolean => DEVICE_SIDE.test(task) || ofChain(task) !== undefined;
  const label = (task: string): string => {
    const name = ofChain(task);
    return name ? `${name}${task.slice(task.indexOf('['))}` : byProcess(task);
  };
  const text = execFileSync('perf', ['sched', 'timehist', '--state', '-i', file], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const runs: Run[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    runs.push({
      end: Number(m[1]) * 1000,
      cpu: Number(m[2]),
      task: m[3]!.trim(),
      wait: Number(m[4]),
      delay: Number(m[5]),
      run: Number(m[6]),
      state: m[7]!,
    });
  }
  // The page's main thread: of the renderer main threads, the one that ran most.
  const ranBy = new Map<string, number>();
  for (const r of runs) ranBy.set(r.task, (ranBy.get(r.task) ?? 0) + r.run);
  const main = mainPids
    .map((pid) => `chromium[${pid}]`)
    .sort((a, b) => (ranBy.get(b) ?? 0) - (ranBy.get(a) ?? 0))[0];
  const mine = runs.filter((r) => r.task === main);
  if (!main || mine.length < 2) return `perf sched: the page's main thread is not in ${file}`;
  // Its runnable waits: after a switch-out in state R (preempted), the time until it ran again; after a sleep, the
  // delay from its wakeup to running.
  const waits: Array<{ from: number; to: number; cpu: number }> = [];
  for (let i = 1; i < mine.length; i++) {
    const r = mine[i]!;
    const start = r.end - r.run;
    const waited = mine[i - 1]!.state === 'R' ? r.wait : r.delay;
    if (waited > 0) waits.push({ from: start - waited, to: start, cpu: r.cpu });
  }
  const same = new Map<string, number>();
  let w = 0;
  for (const r of runs) {
    if (r.task === main) continue;
    const a = r.end - r.run;
    while (w > 0 && waits[w - 1]!.to > a) w--;
    for (let i = w; i < waits.length && waits[i]!.from < r.end; i++) {
      const x = waits[i]!;
      const overlap = Math.min(r.end, x.to) - Math.max(a, x.from);
      if (overlap > 0 && r.cpu === x.cpu) same.set(label(r.task), (same.get(label(r.task)) ?? 0) + overlap);
    }
    while (w < waits.length && waits[w]!.to <= a) w++;
  }
  const waited = waits.reduce((s, x) => s + x.to - x.from, 0);
  const top = [...same]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(', ');
  // The chain's CPU in 10 ms buckets over the main thread's span, against what the main thread got in each.
  const t0 = mine[0]!.end - mine[0]!.run;
  const t1 = mine[mine.length - 1]!.end;
  const BUCKET = 10;
  const n = Math.max(1, Math.ceil((t1 - t0) / BUCKET));
  const chain = new Array<number>(n).fill(0);
  const page = new Array<number>(n).fill(0);
  const add = (into: number[], from: number, to: number): void => {
    for (let a = Math.max(from, t0); a < Math.min(to, t1);) {
      const i = Math.floor((a - t0) / BUCKET);
      const e = Math.min(to, t0 + (i + 1) * BUCKET);
      into[i]! += e - a;
      a = e;
    }
  };
  for (const r of runs) {
    if (r.task === main) add(page, r.end - r.run, r.end);
    else if (inChain(r.task)) add(chain, r.end - r.run, r.end);
  }
  const band = (lo: number, hi: number): string => {
    const idx = chain.map((c, i) => (c >= lo && c < hi ? i : -1)).filter((i) => i >= 0);
    const got = idx.reduce((s, i) => s + page[i]!, 0) / (idx.length || 1);
    return `${Math.round((idx.length / n) * 100)}% of them (the page's main thread ran ${got.toFixed(1)} ms of 10)`;
  };
  return (
    `perf sched (${file}): the page's main thread waited for a CPU ${Math.round(waited)} ms in ${waits.length} waits; ` +
    `on its core meanwhile (ms): ${top}.\n` +
    `  the chain before the page (sshd, cat, tty workers, relay, core) per 10 ms of the flood: under 2 ms of CPU in ` +
    `${band(0, 2)}, 2-10 ms in ${band(2, 10)}, 10 ms or more (over a core) in ${band(10, 1e9)}`
  );
}
