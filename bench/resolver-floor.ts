// The floor under issue 12's cold resolver target: how long a new process takes for the least work any resolver over
// the same parsed objects must do (index the internal endpoints by URL and the sessions by id, read each cloud
// endpoint's metadata and forward target, group into sites and devices, sort), beside the real resolver's first call.
// The bare join knows none of the directory's rules (chains, pools, IP policies, ids, names, online reasons), so it is
// a lower bound, not a design. Each first call runs in a new process on the bench fleet, the two alternated.
//   npx tsx bench/resolver-floor.ts [--devices=10000] [--rounds=3]
// Not a *.bench.ts: `npm run bench` does not run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resolveDirectory } from '../src/core/directory/resolve';
import { ACCOUNT_COLLECTIONS } from '../src/core/ngrok/types';
import type { AccountObjects } from '../src/core/ngrok/types';
import { generateFleet } from '../src/sandbox/generate/fleet';
import { SandboxStore } from '../src/sandbox/state/store';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface BareDevice {
  name: string;
  online: boolean;
  services: Array<{ id: string; address: string; target: string | null; online: boolean }>;
}

// One line of a block-YAML or flow policy naming the forward target; a real resolver reads the whole policy.
const FORWARD_URL = /forward-internal[\s\S]*?url:\s*"?([^\s"]+)/;

function bareJoin(o: AccountObjects): Array<{ name: string; online: boolean; devices: BareDevice[] }> {
  const sessions = new Set<string>();
  for (const s of o.tunnel_sessions) if (s.id !== undefined) sessions.add(s.id);
  const internal = new Map<string, string | undefined>();
  for (const e of o.endpoints)
    if (e.type !== 'cloud' && e.url !== undefined) internal.set(e.url, e.tunnel_session?.id);
  const sites = new Map<string, { name: string; online: boolean; devices: Map<string, BareDevice> }>();
  for (const e of o.endpoints) {
    if (e.type !== 'cloud') continue;
    let meta: { site?: string; device?: string } = {};
    try {
      meta = e.metadata ? (JSON.parse(e.metadata) as typeof meta) : {};
    } catch {
      meta = {};
    }
    const target =
      typeof e.traffic_policy === 'string' ? (FORWARD_URL.exec(e.traffic_policy)?.[1] ?? null) : null;
    const session = target === null ? undefined : internal.get(target);
    const online = session !== undefined && sessions.has(session);
    const siteName = meta.site ?? '';
    let site = sites.get(siteName);
    if (site === undefined)
      sites.set(siteName, (site = { name: siteName, online: false, devices: new Map() }));
    const deviceName: string = meta.device ?? e.id ?? '';
    let device = site.devices.get(deviceName);
    if (device === undefined)
      site.devices.set(deviceName, (device = { name: deviceName, online: false, services: [] }));
    device.services.push({ id: e.id ?? '', address: e.hostport ?? '', target, online });
    if (online) device.online = site.online = true;
  }
  const byName = (a: { name: string }, b: { name: string }): number =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return [...sites.values()]
    .map((s) => ({ name: s.name, online: s.online, devices: [...s.devices.values()].sort(byName) }))
    .sort(byName);
}

function child(kind: string, file: string): void {
  const objects = JSON.parse(readFileSync(file, 'utf8')) as AccountObjects;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const sites = kind === 'bare' ? bareJoin(objects).length : resolveDirectory(objects).sites.length;
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ wall, cpu: (c.user + c.system) / 1000, sites }));
}

function main(): void {
  const devices = Number(arg('devices') ?? 10_000);
  const rounds = Number(arg('rounds') ?? 3);
  const store = new SandboxStore(
    generateFleet({
      sites: Math.max(1, Math.round(devices / 20)),
      devices,
      seed: 2025,
      edgeHost: '1.tcp.ngrok.io',
    }),
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sitehop-resolver-floor-'));
  const file = path.join(dir, 'account.json');
  const objects = Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)]));
  writeFileSync(file, JSON.stringify(objects));
  const runs: Record<string, Array<{ wall: number; cpu: number; sites: number }>> = {
    bare: [],
    resolver: [],
  };
  try {
    for (let i = 0; i < rounds; i++)
      for (const kind of i % 2 ? ['resolver', 'bare'] : ['bare', 'resolver']) {
        const r = spawnSync(
          process.execPath,
          ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, file],
          {
            encoding: 'utf8',
          },
        );
        if (r.status !== 0) throw new Error(`${kind} child failed: ${r.stderr}`);
        runs[kind]!.push(JSON.parse(r.stdout) as { wall: number; cpu: number; sites: number });
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const line = (kind: string): string => {
    const r = runs[kind]!;
    return `${median(r.map((x) => x.wall)).toFixed(1)} ms (process CPU ${median(r.map((x) => x.cpu)).toFixed(1)} ms; ${r[0]!.sites} sites)`;
  };
  console.log(
    `first call in a new process, ${(objects.endpoints as unknown[]).length} endpoints, median of ${rounds} (load ${os.loadavg()[0]!.toFixed(1)}): the resolver ${line('resolver')}; a bare join with none of its rules ${line('bare')}; target 50 ms`,
  );
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(process.argv[childAt + 1] as string, process.argv[childAt + 2] as string);
else main();
