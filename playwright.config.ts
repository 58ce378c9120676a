// Playwright drives the real renderer in Debian's Chromium through the browser harness (no browser download),
// and has an Electron project that runs wherever an Electron binary exists.
import { defineConfig, type PlaywrightTestProject } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

// `npm test` runs the projects in two passes (scripts/test.mjs): SITEHOP_E2E_PASS=serial, one worker, then
// SITEHOP_E2E_PASS=parallel with --workers N (files side by side, 2 when the CPUs are idle). A project is parallel
// only if its files can run beside each other: the harness specs each start their own harness, sandbox, home and
// keychain service. The cli project is not: entry-points.cli.spec.ts's `npm run harness` rebuilds out/, under any
// harness running beside it. Unset (npx playwright test): every project, one worker, as before.
const pass = process.env.SITEHOP_E2E_PASS;
const projects: (PlaywrightTestProject & { parallel: boolean })[] = [
  { name: 'harness', testMatch: /.*\.harness\.spec\.ts/, parallel: true },
  // The built entry points as a user runs them: bin/sitehop.js, npm run harness.
  { name: 'cli', testMatch: /.*\.cli\.spec\.ts/, parallel: false },
  { name: 'electron', testMatch: /electron\.spec\.ts/, parallel: false },
];

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  // One folder per pass: each run empties its outputDir first, which would drop the other pass's traces.
  outputDir: pass ? `.state/test-results/${pass}` : '.state/test-results',
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: projects
    .filter((p) => !pass || p.parallel === (pass === 'parallel'))
    .map(({ parallel: _, ...p }) => p),
});
