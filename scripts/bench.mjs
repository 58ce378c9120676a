// npm run bench: runs every bench/*.bench.ts in turn (each prints its own figures, ratios measured in one run).
// Benchmarks live here, never in timed unit tests: these machines are shared and noisy.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`!! ${file} exited with ${run.status ?? run.signal}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
