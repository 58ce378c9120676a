// A new process's first sync (issue 12, item 5), for bench/directory.bench.ts: the app's path from a start. A copy of
// what the last sync kept (<home>: the cache and the kept account of workspace "bench", written by the real cache)
// is opened by the real directory service, which then makes one sync (status, or full with the kept objects)
// through the production sync source against a sandbox the parent serves, every answer held back by a simulated
// network round trip. What the technician waits for after the last answer is the directory shown (the
// directory.changed event with the new directory); the fixed-point check and the cache writes follow it.
// --warmup=on: the app's path after a start (idle-warmup.ts): the directory service's idle warm-up first, to its
// end, then the sync (the app's first round follows the warm-up).
//   node --import tsx bench/first-sync-process.ts --home=<dir> --rtt=<ms> --ahead=<on|off> [--mode=status|full]
//     [--warmup=on|off]
// The API URL and key come from SITEHOP_BENCH_API_URL / SITEHOP_BENCH_API_KEY (never argv). Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDirectoryCache, type DirectoryCache } from '../src/core/directory/cache';
import { createNgrokSyncSource, type SyncSource } from '../src/core/directory/sync-source';
import { createDirectoryService } from '../src/core/directory/sync-service';
import type { TechnicianSettings } from '../src/core/settings/technician-settings';
import type { WorkspaceService } from '../src/core/workspaces/workspace-service';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

async function main(): Promise<void> {
  const home = arg('home') as string;
  const rtt = Number(arg('rtt') ?? 150);
  const ahead = arg('ahead') !== 'off';
  const mode = arg('mode') === 'full' ? 'full' : 'status';
  const warmup = arg('warmup') === 'on';
  const apiUrl = process.env.SITEHOP_BENCH_API_URL as string;
  const apiKey = process.env.SITEHOP_BENCH_API_KEY as string;
  let lastAnswerAt = 0;
  let lastAnswerCpu = process.cpuUsage();
  // Process CPU from the last answer to the directory shown: on a loaded machine the fairer figure of the two.
  let shownCpuMs: number | null = null;
  let requests = 0;
  const slowFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    await sleep(rtt);
    requests++;
    lastAnswerAt = performance.now();
    lastAnswerCpu = process.cpuUsage();
    return res;
  };
  // When each part ended: the resolve ahead, the source (the answer merged and resolved), the directory shown, the
  // fixed-point check, each write.
  const at: Record<string, number> = {};
  const spent: Record<string, number> = { check: 0, cacheFile: 0, accountFile: 0 };
  const timed = <T>(part: string, fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      spent[part] = (spent[part] ?? 0) + performance.now() - t0;
    }
  };
  const production = createNgrokSyncSource({
    fetch: slowFetch,
    rateLimit: { max: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
    resolveAhead: ahead,
    onResolveAhead: () => (at.ahead = performance.now()),
  });
  const source: SyncSource = async (request) => {
    const result = await production(request);
    at.answered = performance.now();
    const settle = result.settle;
    return settle ? { ...result, settle: () => timed('check', settle) } : result;
  };
  const real = createDirectoryCache({ home });
  const cache: DirectoryCache = {
    ...real,
    save: (entry) => timed('cacheFile', () => real.save(entry)),
    saveAccount: (id, account) => timed('accountFile', () => real.saveAccount?.(id, account)),
  };
  const workspaces = {
    get: (id: string) => ({ id, name: 'bench', apiUrl, source: 'keychain' }),
    credentials: async () => ({ apiUrl, apiKey }),
  } as unknown as WorkspaceService;
  const settings = { favorites: () => [], recents: () => [] } as unknown as TechnicianSettings;
  let delta = false;
  const directory = createDirectoryService({
    workspaces,
    cache,
    source,
    settings,
    events: {
      progress: () => undefined,
      changed: (_id, now) => {
        if (now.sync.status !== 'ok' || at.shown !== undefined) return;
        at.shown = performance.now();
        const c = process.cpuUsage(lastAnswerCpu);
        shownCpuMs = (c.user + c.system) / 1000;
        delta = now.delta !== undefined;
      },
    },
  });
  // As the app at a start: the cached directory read first, then a sync (which reads the kept account).
  const before = directory.snapshot('bench');
  const w0 = process.cpuUsage();
  const wt0 = performance.now();
  const warm = warmup ? await directory.warmUp?.('bench') : null;
  const warmWallMs = performance.now() - wt0;
  const warmCpu = process.cpuUsage(w0);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const snap = await directory.sync('bench', { mode });
  const end = performance.now();
  const cpu = process.cpuUsage(c0);
  const after = (t: number | undefined): number | null => (t === undefined ? null : t - lastAnswerAt);
  console.log(
    JSON.stringify({
      ahead,
      mode,
      /** The idle warm-up before the sync (null: none): how it ended, its wall time and the process CPU it took. */
      warmup: warm
        ? {
            state: warm.state,
            passes: warm.passes,
            wallMs: warmWallMs,
            cpuMs: (warmCpu.user + warmCpu.system) / 1000,
            longestSliceMs: warm.longestSliceMs,
          }
        : null,
      rtt,
      requests,
      wallMs: end - t0,
      /** What the technician waits for: the directory shown, after the last answer. */
      shownMs: after(at.shown),
      shownCpuMs,
      /** The sync over: the fixed-point check and the writes made. */
      doneMs: end - lastAnswerAt,
      /** The resolve ahead ended (negative: before the last answer). */
      aheadEndMs: after(at.ahead),
      /** The source answered: its answer merged and resolved. */
      answeredMs: after(at.answered),
      checkMs: spent.check,
      cacheFileMs: spent.cacheFile,
      accountFileMs: spent.accountFile,
      delta,
      /** Process CPU of the sync (the warm-up's apart). */
      cpuMs: (cpu.user + cpu.system) / 1000,
      devicesBefore: before.sites.reduce((n, s) => n + s.devices.length, 0),
      offlineDevices: snap.sites.reduce((n, s) => n + s.devices.filter((d) => !d.online).length, 0),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
