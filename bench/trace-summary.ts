// Where a traced stretch of Chromium's time went, per thread: the busy time of each thread (its top-level tasks)
// and, for a few well-known trace events, their total duration. For SSH_BENCH_TRACE=1 (bench/ssh.bench.ts).
import type { CdpPage } from './cdp-page';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  /** Thread (CPU) time, when the trace has it: what the thread spent, whatever the machine's load. */
  tdur?: number;
  args?: { name?: string };
}

const TOP_LEVEL = new Set(['ThreadControllerImpl::RunTask', 'RunTask', 'ThreadPool_RunTask']);
const NAMED = [
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'UpdateLayoutTree',
  'Layout',
  'Paint',
  'RasterTask',
  'MinorGC',
  'MajorGC',
];

export async function traced<T>(
  page: CdpPage,
  run: () => Promise<T>,
): Promise<{ value: T; summary: string }> {
  const events: TraceEvent[] = [];
  page.on('Tracing.dataCollected', (p) => events.push(...(p as { value: TraceEvent[] }).value));
  const complete = new Promise<void>((resolve) => page.on('Tracing.tracingComplete', () => resolve()));
  await page.browserSend('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'toplevel',
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8',
        '__metadata',
      ],
    },
  });
  const value = await run();
  await page.browserSend('Tracing.end');
  await complete;
  const threadName = new Map<string, string>();
  const processName = new Map<number, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    if (e.name === 'process_name') processName.set(e.pid, e.args?.name ?? '?');
  }
  const busy = new Map<string, number>();
  const cpu = new Map<string, number>();
  const named = new Map<string, number>();
  // Every event name's thread time per thread (nested events overlap their parents): what a busy thread did.
  const byName = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${processName.get(e.pid) ?? e.pid}/${threadName.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
    if (TOP_LEVEL.has(e.name)) {
      busy.set(key, (busy.get(key) ?? 0) + e.dur / 1000);
      cpu.set(key, (cpu.get(key) ?? 0) + (e.tdur ?? 0) / 1000);
    } else {
      const names = byName.get(key) ?? new Map<string, number>();
      names.set(e.name, (names.get(e.name) ?? 0) + (e.tdur ?? e.dur) / 1000);
      byName.set(key, names);
    }
    if (NAMED.includes(e.name))
      named.set(`${key} ${e.name}`, (named.get(`${key} ${e.name}`) ?? 0) + e.dur / 1000);
  }
  const within = [...cpu]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(
      ([k]) =>
        `  ${k}: ` +
        [...(byName.get(k) ?? [])]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([n, v]) => `${n} ${v.toFixed(0)}`)
          .join(', '),
    )
    .join('\n');
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${v.toFixed(0)} ms ${k}`)
      .join('\n');
  return {
    value,
    summary:
      `busy threads (wall):\n${top(busy, 10)}\nthread CPU (top-level tasks' thread time):\n${top(cpu, 10)}\n` +
      `events:\n${top(named, 14)}\nwithin the busiest threads (thread ms by event, nested ones overlap):\n${within}`,
  };
}
