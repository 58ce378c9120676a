// Playwright drives the real renderer in Debian's Chromium through the browser harness (no browser download),
// and has an Electron project that runs wherever an Electron binary exists.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '.state/test-results',
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'harness', testMatch: /.*\.harness\.spec\.ts/ },
    // The built entry points as a user runs them: bin/sitehop.js, npm run harness.
    { name: 'cli', testMatch: /.*\.cli\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
