// A new process's first status sync (issue 12, item 5), for bench/directory.bench.ts: the kept account and the cached
// sites are read from files (as the app and the CLI read theirs), then one status sync runs through the production
// sync source against a sandbox the parent serves, every answer held back by a simulated network round trip.
//   node --import tsx bench/first-sync-process.ts --dir=<account.json + sites.json> --rtt=<ms> --ahead=<on|off>
// The API URL and key come from SITEHOP_BENCH_API_URL / SITEHOP_BENCH_API_KEY (never argv). Prints one JSON line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountSnapshot } from '../src/core/directory/account-snapshot';
import { createNgrokSyncSource } from '../src/core/directory/sync-source';
import type { Site } from '../src/shared/directory-types';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

async function main(): Promise<void> {
  const dir = arg('dir') as string;
  const rtt = Number(arg('rtt') ?? 150);
  const ahead = arg('ahead') !== 'off';
  const account = JSON.parse(readFileSync(path.join(dir, 'account.json'), 'utf8')) as AccountSnapshot;
  const sites = JSON.parse(readFileSync(path.join(dir, 'sites.json'), 'utf8')) as Site[];
  let lastAnswerAt = 0;
  let requests = 0;
  const slowFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    await sleep(rtt);
    requests++;
    lastAnswerAt = performance.now();
    return res;
  };
  const source = createNgrokSyncSource({
    fetch: slowFetch,
    rateLimit: { max: Number.MAX_SAFE_INTEGER, windowMs: 60_000 },
    resolveAhead: ahead,
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await source({
    workspaceId: 'bench',
    apiUrl: process.env.SITEHOP_BENCH_API_URL as string,
    apiKey: process.env.SITEHOP_BENCH_API_KEY as string,
    previousCounts: {},
    previousSites: sites,
    onProgress: () => undefined,
    signal: new AbortController().signal,
    plan: { kind: 'status', account },
  });
  const end = performance.now();
  const cpu = process.cpuUsage(c0);
  const devices = result.sites.reduce((n, s) => n + s.devices.length, 0);
  console.log(
    JSON.stringify({
      ahead,
      rtt,
      requests,
      wallMs: end - t0,
      afterLastAnswerMs: end - lastAnswerAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      devices,
      offlineDevices: result.sites.reduce((n, s) => n + s.devices.filter((d) => !d.online).length, 0),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
