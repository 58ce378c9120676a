// How fast the sandbox generates and serves a 10,000-device fleet: generation time, then a full paged listing
// (limit=100, following next_page_uri) of every collection over real HTTP on 127.0.0.1, as a sync would do it.
// Run: npx tsx bench/sandbox-api.bench.ts [devices] [sites]. Prints plain lines; asserts nothing.
import { performance } from 'node:perf_hooks';
import { generateFleet, startSandbox } from '../src/sandbox/index';
import { COLLECTIONS } from '../src/sandbox/state/types';

const devices = Number(process.argv[2] ?? 10_000);
const sites = Number(process.argv[3] ?? Math.max(1, Math.round(devices / 20)));
const edgeHost = '1.tcp.ngrok.io';

function ms(t: number): string {
  return `${t.toFixed(0)} ms`;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function listAll(
  apiUrl: string,
  apiKey: string,
  path: string,
): Promise<{ objects: number; requests: number; times: number[] }> {
  const key = path.split('?')[0]!.slice(1);
  let url: string | null = `${apiUrl}${path}`;
  let objects = 0;
  const times: number[] = [];
  while (url) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, 'ngrok-version': '2' } });
    const body = (await res.json()) as Record<string, unknown>;
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body)}`);
    objects += (body[key] as unknown[]).length;
    url = body.next_page_uri as string | null;
  }
  return { objects, requests: times.length, times };
}

const g0 = performance.now();
const state = generateFleet({ sites, devices, seed: 1, edgeHost });
const genMs = performance.now() - g0;
const counts = COLLECTIONS.map((c) => `${c}=${state[c]?.length ?? 0}`).join(' ');
console.log(`sandbox-api: generate ${devices} devices in ${sites} sites: ${ms(genMs)} (${counts})`);

const s0 = performance.now();
const sb = await startSandbox({
  generate: { sites, devices, seed: 1, edgeHost },
  rateLimit: false,
  edge: false,
  demoDevice: false,
});
console.log(`sandbox-api: start (generate + index + listen): ${ms(performance.now() - s0)}`);

try {
  const all: number[] = [];
  const l0 = performance.now();
  let requests = 0;
  let objects = 0;
  for (const c of COLLECTIONS) {
    const r = await listAll(sb.apiUrl, sb.apiKey, `/${c}?limit=100`);
    const sorted = [...r.times].sort((a, b) => a - b);
    console.log(
      `sandbox-api: list /${c}: ${r.objects} objects, ${r.requests} requests, median ${quantile(sorted, 0.5).toFixed(2)} ms, p95 ${quantile(sorted, 0.95).toFixed(2)} ms`,
    );
    all.push(...r.times);
    requests += r.requests;
    objects += r.objects;
  }
  const total = performance.now() - l0;
  console.log(
    `sandbox-api: full listing of every collection: ${objects} objects, ${requests} requests in ${ms(total)} (${((requests / total) * 1000).toFixed(0)} requests/s)`,
  );
  const filter = encodeURIComponent('"internal" in obj.bindings');
  const f0 = performance.now();
  const f = await listAll(sb.apiUrl, sb.apiKey, `/endpoints?limit=100&filter=${filter}`);
  console.log(
    `sandbox-api: filtered listing ("internal" in obj.bindings): ${f.objects} objects, ${f.requests} requests in ${ms(performance.now() - f0)}`,
  );
} finally {
  await sb.close();
}
