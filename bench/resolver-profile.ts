// Resolver alone, scenario by scenario, for profiling and A/B runs (issue 12, item 5). Not a *.bench.ts: `npm run
// bench` does not run it. The fleet is the directory bench's (generated in-process, no sandbox server).
//   npx tsx bench/resolver-profile.ts [--devices=10000] [--src=<another checkout's src>] [--only=<scenario>]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/resolver-profile.ts --only=fresh --loops=20
// --src lets an old copy of the resolver (`git archive <ref> src | tar -x -C /tmp/old`, with a node_modules link)
// run on the same objects, so old and new can be compared in alternation on a loaded machine.
//   --ab=<other src>  both resolvers in this one process, alternating call by call on the same objects (policies,
//                     fresh, status, flap; CPU medians): the fairest A/B on a machine whose load keeps changing
//   --first=<status|full> [--ahead] [--previous=<sites.json>]  a new process's first sync (issue 12, item 5): the
//                     answer (the kept objects with one agent gone; for full, every object new) resolved with the
//                     cached sites as previous, cold, or (--ahead) after resolve-ahead.ts has resolved the kept
//                     objects in slices as the sync source does under the network wait. Meant for a new process each.
//   --kept=<unchanged|agent-gone|full-equal> --home=<dir> --variant=<stamp|before>  a new process's first resolve with
//                     what a sync kept on disk (the cache and the kept account file of workspace "bench" under <dir>,
//                     read through the real cache): the answer of a status sync that changed nothing, of one with an
//                     agent gone, or of a full sync (every object new, equal on the fields the resolver reads), as the
//                     sync source now answers it (stamp: skip when resolved-stamp.ts allows, else resolve, timed to the
//                     sites shown, and the fixed-point check after them, timed apart) or as it answered before (before:
//                     only an unchanged status sync skipped). One line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFleet } from '../src/sandbox/generate/fleet';
import { SandboxStore } from '../src/sandbox/state/store';
import type { Site } from '../src/shared/directory-types';
import { ACCOUNT_COLLECTIONS } from '../src/core/ngrok/types';
import type { AccountObjects } from '../src/core/ngrok/types';
import type { resolveAhead as resolveAheadType } from '../src/core/directory/resolve-ahead';

type Resolve = (objects: AccountObjects, options?: { previous?: readonly Site[] }) => { sites: Site[] };

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const DEVICES = Number(arg('devices') ?? 10_000);
const LOOPS = Number(arg('loops') ?? 7);
const ONLY = arg('only');
const SRC = path.resolve(arg('src') ?? path.join(import.meta.dirname, '../src'));
const AB = arg('ab');
const FIRST = arg('first');

const ms = (t: number): string => `${t.toFixed(1)} ms`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** As the sync service keeps them: each site copied with its agentLastSeenAt (withAgentLastSeen). */
const stamped = (sites: Site[]): Site[] => sites.map((s) => ({ ...s, agentLastSeenAt: null }));

async function main(): Promise<void> {
  const keptCase = arg('kept');
  if (keptCase !== undefined)
    return firstWithKept(keptCase, arg('home') as string, arg('variant') ?? 'stamp');
  const { resolveDirectory } = (await import(
    pathToFileURL(path.join(SRC, 'core/directory/resolve.ts')).href
  )) as { resolveDirectory: Resolve };
  const state = generateFleet({
    sites: Math.max(1, Math.round(DEVICES / 20)),
    devices: DEVICES,
    seed: 2025,
    edgeHost: '1.tcp.ngrok.io',
  });
  const store = new SandboxStore(state);
  const raw = JSON.stringify(
    Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)])) as unknown as AccountObjects,
  );
  const objects = JSON.parse(raw) as AccountObjects;
  const writePrevious = arg('write-previous');
  if (writePrevious !== undefined) {
    writeFileSync(writePrevious, JSON.stringify(resolveDirectory(objects).sites));
    return;
  }
  console.log(
    `resolver profile: ${objects.endpoints.length} endpoints, src ${path.relative(process.cwd(), SRC) || '.'}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  // CPU time beside wall time: on a machine shared with other work, wall time mostly measures the others.
  let cpu: number[] = [];
  const run = (name: string, fn: () => number[]): void => {
    if (ONLY !== undefined && ONLY !== name) return;
    cpu = [];
    const times = fn();
    console.log(
      `${name.padEnd(9)} median ${ms(median(times))} (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}, n=${times.length}), process CPU median ${ms(median(cpu))}`,
    );
  };
  if (AB !== undefined) return abRuns(objects, raw, resolveDirectory, AB);
  if (FIRST !== undefined) return firstSync(raw, FIRST, SRC);
  const timed = (fn: () => void): number => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    return wall;
  };

  // First call in this process: cold JIT, every memo empty, every policy parsed.
  let last: Site[] = [];
  run('cold', () => [timed(() => (last = resolveDirectory(objects).sites))]);
  if (last.length === 0) last = resolveDirectory(objects).sites;
  run('policies', () => {
    // Every policy text new (a trailing space): the policy memo misses, as in a fresh process.
    const times: number[] = [];
    for (let i = 0; i < Math.min(LOOPS, 3); i++) {
      const changed = JSON.parse(raw) as AccountObjects;
      for (const e of changed.endpoints)
        if (typeof e.traffic_policy === 'string') e.traffic_policy += ' '.repeat(i + 1);
      times.push(timed(() => resolveDirectory(changed)));
    }
    return times;
  });
  run('fresh', () => {
    // New objects, same texts (after a full sync); JSON.parse outside the timer.
    const times: number[] = [];
    for (let i = 0; i < LOOPS; i++) {
      const parsed = JSON.parse(raw) as AccountObjects;
      const prev = stamped(last);
      times.push(timed(() => (last = resolveDirectory(parsed, { previous: prev }).sites)));
    }
    return times;
  });
  run('same', () => {
    // The very same objects and previous again.
    const prev = stamped(last);
    return Array.from({ length: LOOPS }, () => timed(() => resolveDirectory(objects, { previous: prev })));
  });
  run('status', () => {
    // As a status sync: new arrays of the kept objects, the last result (stamped) as previous.
    const times: number[] = [];
    for (let i = 0; i < LOOPS; i++) {
      const kept = { ...objects, endpoints: [...objects.endpoints] };
      const prev = stamped(last);
      times.push(timed(() => (last = resolveDirectory(kept, { previous: prev }).sites)));
    }
    return times;
  });
  run('flap', () => {
    // One agent in two goes offline then comes back (a status sync with a change), kept objects.
    const gone = objects.tunnel_sessions[0]?.id;
    const offline: AccountObjects = {
      ...objects,
      tunnel_sessions: objects.tunnel_sessions.filter((s) => s.id !== gone),
      endpoints: objects.endpoints.filter((e) => e.tunnel_session?.id !== gone),
    };
    const times: number[] = [];
    for (let i = 0; i < LOOPS; i++) {
      const input = i % 2 === 0 ? offline : { ...objects, endpoints: [...objects.endpoints] };
      const prev = stamped(last);
      times.push(timed(() => (last = resolveDirectory(input, { previous: prev }).sites)));
    }
    return times;
  });
}

/**
 * The account text with every policy changed by i + 1 trailing spaces. A policy changed in place (`+= ' '`) is a
 * cons string, which every first hash or regex flattens: a cost a listing parsed from JSON does not have.
 */
const policiesTexts = new Map<number, string>();
function policiesText(raw: string, i: number): string {
  let known = policiesTexts.get(i);
  if (known === undefined) {
    const changed = JSON.parse(raw) as AccountObjects;
    for (const e of changed.endpoints)
      if (typeof e.traffic_policy === 'string') e.traffic_policy += ' '.repeat(i + 1);
    known = JSON.stringify(changed);
    policiesTexts.clear();
    policiesTexts.set(i, known);
  }
  return known;
}

/** Two resolvers (this tree's and another's), alternating call by call; each keeps its own last result. */
async function abRuns(objects: AccountObjects, raw: string, mine: Resolve, other: string): Promise<void> {
  const { resolveDirectory: theirs } = (await import(
    pathToFileURL(path.join(path.resolve(other), 'core/directory/resolve.ts')).href
  )) as { resolveDirectory: Resolve };
  const impls: Array<[string, Resolve]> = [
    [path.relative(process.cwd(), path.resolve(other)), theirs],
    [path.relative(process.cwd(), SRC) || '.', mine],
  ];
  const last = impls.map(([, r]) => r(objects, { previous: r(objects).sites }).sites);
  const gone = objects.tunnel_sessions[0]?.id;
  const offline: AccountObjects = {
    ...objects,
    tunnel_sessions: objects.tunnel_sessions.filter((s) => s.id !== gone),
    endpoints: objects.endpoints.filter((e) => e.tunnel_session?.id !== gone),
  };
  const inputs: Record<string, (i: number) => AccountObjects> = {
    // Every policy text new, as flat strings (JSON.parse's, as a new process reads them), the same texts for both.
    policies: (i) => JSON.parse(policiesText(raw, i)) as AccountObjects,
    fresh: () => JSON.parse(raw) as AccountObjects,
    status: () => ({ ...objects, endpoints: [...objects.endpoints] }),
    flap: (i) => (i % 2 === 0 ? offline : { ...objects, endpoints: [...objects.endpoints] }),
  };
  for (const [name, input] of Object.entries(inputs)) {
    if (ONLY !== undefined && ONLY !== name) continue;
    const cpu: number[][] = impls.map(() => []);
    for (let i = 0; i < LOOPS; i++)
      impls.forEach(([, resolve], k) => {
        const objectsNow = input(i);
        const prev = stamped(last[k] as Site[]);
        const c0 = process.cpuUsage();
        last[k] = resolve(objectsNow, { previous: prev }).sites;
        const c = process.cpuUsage(c0);
        (cpu[k] as number[]).push((c.user + c.system) / 1000);
      });
    console.log(
      `${name.padEnd(7)} process CPU median ${impls.map(([label], k) => `${label} ${ms(median(cpu[k] as number[]))}`).join(', ')} (n=${LOOPS}, alternating, load ${os.loadavg()[0]?.toFixed(1)})`,
    );
  }
}

/** The last sync's sites as the cache holds them: resolved from the kept objects in another process, read back. */
function cachedSites(): Site[] {
  const file = arg('previous');
  if (file !== undefined) return JSON.parse(readFileSync(file, 'utf8')) as Site[];
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'resolver-profile-')), 'sites.json');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), `--devices=${DEVICES}`, `--write-previous=${out}`],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`could not make the cached sites: ${run.stderr.slice(0, 300)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Site[];
}

async function firstSync(raw: string, kind: string, src: string): Promise<void> {
  const { resolveDirectory } = (await import(
    pathToFileURL(path.join(src, 'core/directory/resolve.ts')).href
  )) as {
    resolveDirectory: Resolve;
  };
  const { resolveAhead } = (await import(
    pathToFileURL(path.join(src, 'core/directory/resolve-ahead.ts')).href
  )) as { resolveAhead: typeof resolveAheadType };
  const previous = cachedSites();
  const kept = JSON.parse(raw) as AccountObjects;
  const base = kind === 'full' ? (JSON.parse(raw) as AccountObjects) : kept;
  const gone = base.tunnel_sessions[0]?.id;
  // One agent gone: its session and its agent endpoints are no longer listed (sessions are new objects, as listed).
  const answer: AccountObjects = {
    ...base,
    tunnel_sessions: base.tunnel_sessions.filter((s) => s.id !== gone).map((s) => ({ ...s })),
    endpoints: base.endpoints.filter((e) => e.tunnel_session?.id !== gone),
  };
  const cpuOf = (fn: () => unknown): { wall: number; cpu: number } => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000 };
  };
  let ahead = 'no resolve ahead';
  if (process.argv.includes('--ahead')) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await resolveAhead(kept, { previous });
    const c = process.cpuUsage(c0);
    ahead = `resolve ahead ${report.state}: ${report.slices} slices, busy ${ms(report.busyMs)} (process CPU ${ms((c.user + c.system) / 1000)}, wall ${ms(performance.now() - t0)}), longest slice ${ms(report.longestSliceMs)}`;
  }
  const final = cpuOf(() => resolveDirectory(answer, { previous }));
  console.log(
    `first ${kind} sync: resolve of the answer ${ms(final.wall)}, CPU ${ms(final.cpu)}; ${ahead} (load ${os.loadavg()[0]?.toFixed(1)})`,
  );
}

/** See --kept above: the sync source's decision and resolve, timed alone, after reading what is kept. */
async function firstWithKept(kind: string, home: string, variant: string): Promise<void> {
  const { createDirectoryCache } = await import('../src/core/directory/cache');
  const { mergeStatus } = await import('../src/core/directory/account-snapshot');
  const { resolveDirectory } = await import('../src/core/directory/resolve');
  const { checkFixedPoint, sameObjects, sitesOfAnswer, skipsResolve } =
    await import('../src/core/directory/sync-source');
  const r0 = performance.now();
  const cache = createDirectoryCache({ home });
  const sites = cache.load('bench')?.sites;
  const kept = cache.loadAccount?.('bench') ?? null;
  const readMs = performance.now() - r0;
  if (sites === undefined || kept === null) throw new Error(`nothing kept under ${home}`);
  const sessions = JSON.parse(
    JSON.stringify(kept.objects.tunnel_sessions),
  ) as AccountObjects['tunnel_sessions'];
  // As the sync source makes them: a status answer merges the listed sessions (new objects) into the kept objects.
  const answer: AccountObjects =
    kind === 'full-equal'
      ? (JSON.parse(JSON.stringify(kept.objects)) as AccountObjects)
      : mergeStatus(kept.objects, kind === 'agent-gone' ? sessions.slice(1) : sessions, []);
  const plan = kind === 'full-equal' ? 'full' : 'status';
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let how: string;
  let check = '';
  let shownAt: number;
  if (variant === 'before') {
    const skip = plan === 'status' && sameObjects(kept.objects, answer);
    if (!skip) resolveDirectory(answer, { previous: sites });
    how = skip ? 'skipped' : 'resolved';
    shownAt = performance.now();
  } else {
    // As the sync source and the directory service do: the sites shown, then the fixed-point check (settle).
    const skip = skipsResolve(plan, kept, answer, sites);
    const shown = sitesOfAnswer(answer, sites, skip, false);
    how = skip ? 'skipped' : 'resolved';
    shownAt = performance.now();
    if (!skip) {
      checkFixedPoint(answer, shown);
      check = `, then its fixed-point check ${ms(performance.now() - shownAt)} once shown`;
    }
  }
  const c = process.cpuUsage(c0);
  console.log(
    `kept ${kind} ${variant}: ${how} in ${ms(shownAt - t0)}${check} (process CPU ${ms((c.user + c.system) / 1000)}); reading the kept files apart: ${ms(readMs)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
