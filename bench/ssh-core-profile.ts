// SSH_BENCH_CORE_PROFILE=1 (bench/ssh.bench.ts): a V8 CPU profile of the bench's own process (core and the harness
// server) around the pipeline floods, summarised as self time per function and per package, per flood. Samples are
// taken on wall time while the thread runs JavaScript or native code, so on a loaded machine they include time the
// thread waited for a core inside that code (a syscall such as writev most of all).
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Where a script lives, short: the package under node_modules, else the project path. */
function place(url: string): string {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (m) return `${m[1]}`;
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^.*\/(src|bench)\//, '$1/');
}

/** A profiler to start and stop around each flood; `summary` adds up every stretch profiled, per flood. */
export function coreProfiler(): { start(): Promise<void>; stop(): Promise<void>; summary(): string } {
  const session = new Session();
  session.connect();
  const self = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let floods = 0;
  return {
    async start() {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    },
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
      floods++;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      (profile.samples ?? []).forEach((id, i) => {
        const us = profile.timeDeltas?.[i + 1] ?? 0;
        const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
        if (functionName === '(idle)') return;
        const fn = `${functionName || '(anonymous)'} ${place(url)}${url ? `:${lineNumber + 1}` : ''}`;
        self.set(fn, (self.get(fn) ?? 0) + us);
        const where = url ? place(url) : functionName;
        byPlace.set(where, (byPlace.get(where) ?? 0) + us);
      });
    },
    summary() {
      const top = (m: Map<string, number>, n: number): string =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([k, us]) => `  ${(us / 1000 / Math.max(1, floods)).toFixed(0).padStart(5)} ms ${k}`)
          .join('\n');
      return `core's own process, self time per flood (${floods} floods), by function:\n${top(self, 20)}\nby package or file:\n${top(byPlace, 12)}`;
    },
  };
}
