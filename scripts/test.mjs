// `npm test`: every gate in order, never stopping early, then one summary.
//   (install-deps.sh: missing test packages, or stop) -> typecheck -> lint -> electronegativity -> build -> services -> vitest -> playwright -> (stop services)
// Services: reused when .state/services.env exists and `services.sh status` is healthy; otherwise started here and
// stopped at the end (also on SIGINT/SIGTERM). Their coordinates (.state/services.env) go into the environment of
// vitest and Playwright. Exit 0 only when every step passed. The last line is `N passed, N failed[, N skipped]`.
//
//   node scripts/test.mjs [--only step,step] [--skip step,step] [-- vitest filters...]
//   steps: typecheck lint electronegativity build services vitest playwright
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STATE = path.join(ROOT, '.state');
const REPORTS = path.join(STATE, 'reports');
const SERVICES_ENV = path.join(STATE, 'services.env');
const SERVICES_SH = path.join(ROOT, 'scripts', 'services.sh');
const VITEST_JSON = path.join(REPORTS, 'vitest.json');
const PLAYWRIGHT_JSON = path.join(REPORTS, 'playwright.json');
const PLAYWRIGHT_SERIAL_JSON = path.join(REPORTS, 'playwright-serial.json');
const MIN = 60_000;
// Several `npm test` runs may share one set of services (one checkout, several people or agents). Each run holds a
// lease while it tests; the run that started the services leaves a stop-when-idle mark, and whichever run ends
// last with that mark present stops them. `services.sh start` clears the mark (a manual start means keep them).
const LEASES = path.join(STATE, 'run', 'leases');
const STOP_MARK = path.join(STATE, 'run', 'stop-when-idle');

const STEPS = ['typecheck', 'lint', 'electronegativity', 'build', 'services', 'vitest', 'playwright'];
const dashdash = process.argv.indexOf('--');
const argv = dashdash >= 0 ? process.argv.slice(2, dashdash) : process.argv.slice(2);
const vitestFilters = dashdash >= 0 ? process.argv.slice(dashdash + 1) : [];
const listArg = (flag) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? (argv[i + 1] ?? '').split(',').filter(Boolean) : null;
};
const only = listArg('--only');
const skip = listArg('--skip') ?? [];
for (const s of [...(only ?? []), ...skip]) {
  if (!STEPS.includes(s)) {
    console.error(`test: unknown step "${s}" (steps: ${STEPS.join(', ')})`);
    process.exit(2);
  }
}
const wanted = (s) => (only ? only.includes(s) : true) && !skip.includes(s);

const results = []; // { step, status: 'ok'|'FAILED'|'skipped'|'TIMED OUT'|'interrupted', ms, detail }
const counts = { passed: 0, failed: 0, skipped: 0 };
let current = null; // the running child
let currentStep = null;
let servicesStartedHere = false;
let interrupted = null;

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
// Children write to our stdout: without a terminal, ask them for plain text (some colour anyway unless told).
const baseEnv = { ...process.env };
if (!color && !('FORCE_COLOR' in baseEnv)) baseEnv.NO_COLOR = '1';
const banner = (s) => console.log(`\n${paint('1;36', `=== ${s} ===`)}`);

/** Runs a command in its own process group (so a timeout or a signal can stop all of it), output streamed. */
function run(cmd, args, { env = baseEnv, timeoutMs }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`test: ${cmd} ${args.join(' ')} exceeded ${Math.round(timeoutMs / 1000)} s, killing it`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 5000).unref();
    }, timeoutMs);
    const done = (code, signal, error) => {
      clearTimeout(timer);
      current = null;
      resolve({ code, signal, timedOut, error, ms: Date.now() - t0 });
    };
    child.on('error', (err) => done(null, null, err));
    child.on('exit', (code, signal) => done(code, signal, null));
  });
}

function killGroup(child, signal) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

function record(step, r, detail = '') {
  let status = 'ok';
  if (interrupted) status = 'interrupted';
  else if (r.timedOut) status = 'TIMED OUT';
  else if (r.error || r.code !== 0) status = 'FAILED';
  if (!detail && status !== 'ok')
    detail = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  results.push({ step, status, ms: r.ms, detail });
  return status === 'ok';
}

function loadServicesEnv() {
  const out = {};
  if (!existsSync(SERVICES_ENV)) return out;
  for (const line of readFileSync(SERVICES_ENV, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  }
  return out;
}

function servicesHealthy() {
  if (!existsSync(SERVICES_ENV)) return false;
  const r = spawnSync('bash', [SERVICES_SH, 'status'], { cwd: ROOT, stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

function takeLease() {
  mkdirSync(LEASES, { recursive: true });
  writeFileSync(path.join(LEASES, String(process.pid)), '');
}

function liveLeases() {
  if (!existsSync(LEASES)) return [];
  return readdirSync(LEASES).filter((name) => {
    const pid = Number(name);
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      rmSync(path.join(LEASES, name), { force: true }); // a run that died without cleaning up
      return false;
    }
  });
}

/** Releases this run's lease; stops the services when they were started by a test run and nobody uses them now. */
function stopServices() {
  rmSync(path.join(LEASES, String(process.pid)), { force: true });
  if (servicesStartedHere) writeFileSync(STOP_MARK, '');
  servicesStartedHere = false;
  if (!existsSync(STOP_MARK)) return;
  const others = liveLeases();
  if (others.length) {
    console.log(`test: leaving the services running: still in use by test run(s) ${others.join(', ')}`);
    results.push({
      step: 'services stop',
      status: 'ok',
      ms: 0,
      detail: `left for run(s) ${others.join(', ')}`,
    });
    return;
  }
  rmSync(STOP_MARK, { force: true });
  const t0 = Date.now();
  const r = spawnSync('bash', [SERVICES_SH, 'stop'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 60_000,
  });
  results.push({
    step: 'services stop',
    status: r.status === 0 ? 'ok' : 'FAILED',
    ms: Date.now() - t0,
    detail: r.status === 0 ? '' : `exit ${r.status}`,
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Adds a runner's counts; a run that failed without any failed test (crash, load error) counts one failure. */
function addCounts(step, r, c) {
  const ok = r.code === 0 && !r.timedOut && !r.error;
  if (!ok && c.failed === 0) c.failed = 1;
  counts.passed += c.passed;
  counts.failed += c.failed;
  counts.skipped += c.skipped;
  const parts = [`${c.passed} passed`, `${c.failed} failed`];
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ') + (c.note ? ` (${c.note})` : '');
}

function vitestCounts(report) {
  if (!report) return { passed: 0, failed: 0, skipped: 0, note: 'no JSON report' };
  let failed = report.numFailedTests ?? 0;
  // a test file that fails to load has no failed test in it: count the file
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  failed += brokenFiles;
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    note: brokenFiles ? `${brokenFiles} file(s) failed to load` : '',
  };
}

function playwrightCounts(report) {
  if (!report) return { passed: 0, failed: 0, skipped: 0, note: 'no JSON report' };
  const s = report.stats ?? {};
  const flaky = s.flaky ?? 0;
  return {
    passed: (s.expected ?? 0) + flaky,
    failed: s.unexpected ?? 0,
    skipped: s.skipped ?? 0,
    note: [
      flaky ? `${flaky} flaky` : '',
      report.errors?.length ? `${report.errors.length} error(s) outside tests` : '',
    ]
      .filter(Boolean)
      .join(', '),
  };
}

/** CPUs left idle by everything else on the machine, sampled over a second from /proc/stat (null elsewhere). */
async function idleCpus(ms = 1000) {
  const sample = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3] + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = sample();
    return ((b.idle - a.idle) / (b.total - a.total)) * availableParallelism();
  } catch {
    return null;
  }
}

/**
 * Workers for the harness specs: SITEHOP_E2E_WORKERS when set, else one per idle CPU (at most 4). A spec keeps a
 * Chromium, a harness and Playwright busy for about one CPU between them: on an idle 2-core machine two run side
 * by side; on a machine others already load, a second worker only slows both (measured: 15 specs, load 8-14).
 */
function e2eWorkers(idle) {
  const forced = Number(process.env.SITEHOP_E2E_WORKERS);
  if (Number.isInteger(forced) && forced >= 1) return { n: forced, why: 'SITEHOP_E2E_WORKERS' };
  if (idle == null) return { n: 1, why: 'idle CPUs unknown (no /proc/stat)' };
  const n = Math.max(1, Math.min(4, Math.round(idle)));
  return { n, why: `${idle.toFixed(1)} of ${availableParallelism()} CPUs idle` };
}

function fmtMs(ms) {
  return ms == null
    ? ''
    : ms >= 60_000
      ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`
      : `${(ms / 1000).toFixed(1)}s`;
}

function summary() {
  const w = Math.max(...results.map((r) => r.step.length), 4);
  console.log(`\n${paint('1', 'Summary')}`);
  console.log(`  ${'step'.padEnd(w)}  ${'result'.padEnd(11)}  ${'time'.padStart(7)}  detail`);
  for (const r of results) {
    const st = r.status.padEnd(11);
    const colored =
      r.status === 'ok' ? paint('32', st) : r.status === 'skipped' ? paint('33', st) : paint('31', st);
    console.log(`  ${r.step.padEnd(w)}  ${colored}  ${fmtMs(r.ms).padStart(7)}  ${r.detail}`);
  }
  const failedSteps = results.filter((r) => r.status !== 'ok' && r.status !== 'skipped').map((r) => r.step);
  console.log(
    failedSteps.length
      ? `\n${paint('31', `FAILED: ${failedSteps.join(', ')}`)}`
      : `\n${paint('32', 'All steps passed.')}`,
  );
  console.log(
    `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
  return failedSteps.length === 0;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return; // second signal: the handler is already cleaning up
    interrupted = sig;
    console.error(
      `\ntest: ${sig}: stopping the current step${servicesStartedHere ? ' and the services started here' : ''}`,
    );
    if (current) {
      killGroup(current, 'SIGTERM');
      const c = current;
      setTimeout(() => killGroup(c, 'SIGKILL'), 3000).unref();
    }
    if (currentStep)
      results.push({ step: currentStep, status: 'interrupted', ms: null, detail: `by ${sig}` });
    stopServices();
    summary();
    process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
  });
}

async function step(name, fn) {
  if (interrupted) return;
  if (!wanted(name)) {
    results.push({ step: name, status: 'skipped', ms: null, detail: 'not selected' });
    return;
  }
  banner(name);
  currentStep = name;
  await fn();
  currentStep = null;
}

const npm = (script, timeoutMs) => run('npm', ['run', script], { timeoutMs });

mkdirSync(REPORTS, { recursive: true });

// A fresh Debian machine: the real test services' packages first (a quick no-op when they are installed). Without
// root or passwordless sudo it prints the one command to run; then nothing else can pass, so stop here.
const deps = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-deps.sh')], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  timeout: 15 * MIN,
});
if (deps.status !== 0) {
  console.error('test: the test packages are not installed (see above); nothing was run.');
  process.exit(deps.status ?? 1);
}

await step('typecheck', async () => record('typecheck', await npm('typecheck', 10 * MIN)));
await step('lint', async () => record('lint', await npm('lint', 10 * MIN)));
await step('electronegativity', async () => {
  const r = await run(
    process.execPath,
    ['scripts/electronegativity.mjs', '--json', path.join(REPORTS, 'electronegativity.json')],
    { timeoutMs: 3 * MIN },
  );
  record(
    'electronegativity',
    r,
    r.code === 1 ? 'HIGH/MEDIUM findings (listed above)' : r.code === 2 ? 'scan incomplete' : '',
  );
});
await step('build', async () => {
  // The shipped main process must not load the sandbox at start (the demo's chunk is reached by import() only).
  if (record('build', await npm('build', 10 * MIN)))
    record(
      'bundle check',
      await run(process.execPath, ['scripts/check-main-bundle.mjs'], { timeoutMs: 2 * MIN }),
    );
});

await step('services', async () => {
  takeLease();
  if (servicesHealthy()) {
    console.log('test: reusing the running services (bash scripts/services.sh status)');
    results.push({ step: 'services', status: 'ok', ms: 0, detail: 'reused the running ones' });
  } else {
    servicesStartedHere = true; // set before starting, so an interrupt mid-start still stops what came up
    const r = await run('bash', [SERVICES_SH, 'start'], { timeoutMs: 3 * MIN });
    record('services', r, r.code === 0 ? 'started here, stopped when no test run uses them' : '');
  }
});
const testEnv = { ...baseEnv, ...loadServicesEnv() };

await step('vitest', async () => {
  rmSync(VITEST_JSON, { force: true });
  const r = await run(
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${VITEST_JSON}`,
      ...vitestFilters,
    ],
    { env: testEnv, timeoutMs: 15 * MIN },
  );
  const detail = addCounts('vitest', r, vitestCounts(readJson(VITEST_JSON)));
  record(
    'vitest',
    r,
    r.code === 0 ? detail : `${detail}; ${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`}`,
  );
});

await step('playwright', async () => {
  const config = path.join(ROOT, 'playwright.config.ts');
  if (!existsSync(config)) {
    results.push({ step: 'playwright', status: 'skipped', ms: null, detail: 'no playwright.config.ts yet' });
    return;
  }
  // Two passes (see playwright.config.ts): the projects whose files must run alone, on one worker, then the
  // harness specs side by side on as many workers as the CPUs have room for.
  const workers = e2eWorkers(await idleCpus());
  const passes = [
    { pass: 'serial', workers: 1, json: PLAYWRIGHT_SERIAL_JSON, timeoutMs: 6 * MIN },
    { pass: 'parallel', workers: workers.n, json: PLAYWRIGHT_JSON, timeoutMs: 15 * MIN },
  ];
  console.log(`test: Playwright harness specs on ${workers.n} worker(s): ${workers.why}`);
  const c = { passed: 0, failed: 0, skipped: 0, note: '' };
  const total = { code: 0, signal: null, timedOut: false, error: null, ms: 0 };
  for (const p of passes) {
    if (interrupted) break;
    rmSync(p.json, { force: true });
    const r = await run(
      'npx',
      ['playwright', 'test', '--reporter=list,json', '--pass-with-no-tests', `--workers=${p.workers}`],
      {
        env: { ...testEnv, SITEHOP_E2E_PASS: p.pass, PLAYWRIGHT_JSON_OUTPUT_NAME: p.json },
        timeoutMs: p.timeoutMs,
      },
    );
    const pc = playwrightCounts(readJson(p.json));
    // a pass that failed without a failed test (crash, load error) counts one failure, as addCounts does
    if ((r.code !== 0 || r.timedOut || r.error) && pc.failed === 0) pc.failed = 1;
    c.passed += pc.passed;
    c.failed += pc.failed;
    c.skipped += pc.skipped;
    c.note = [c.note, pc.note && `${p.pass}: ${pc.note}`].filter(Boolean).join(', ');
    total.ms += r.ms;
    if (total.code === 0 && (r.code !== 0 || r.timedOut || r.error))
      Object.assign(total, r, { ms: total.ms });
  }
  if (total.code === 0 && c.passed + c.failed + c.skipped === 0) {
    results.push({ step: 'playwright', status: 'ok', ms: total.ms, detail: 'no tests yet' });
    return;
  }
  const detail = `${addCounts('playwright', total, c)}; ${workers.n} worker(s) for the harness specs`;
  record(
    'playwright',
    total,
    total.code === 0
      ? detail
      : `${detail}; ${total.timedOut ? 'timed out' : `exit ${total.code ?? total.signal}`}`,
  );
});

stopServices();
const ok = summary();
process.exit(ok ? 0 : 1);
