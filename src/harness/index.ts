// `npm run harness [-- --port P] [--open]`: serves the built renderer against the real core in plain Node.
// The first line of output is the URL to open (with its per-run token); --open also opens it in the system
// browser. Data lives under SITEHOP_HOME. `--help` prints the usage (args.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAppCore } from '../core/app-core';
import { defaultHome } from '../core/paths';
import { HARNESS_HELP, harnessUsageError, parseHarnessArgs } from './args';
import { openUrl } from './open-url';
import { startHarness } from './server';

const args = parseHarnessArgs(process.argv.slice(2));
if (args.kind === 'help') {
  process.stdout.write(HARNESS_HELP);
  process.exit(0);
}
if (args.kind === 'error') {
  process.stderr.write(harnessUsageError(args.message));
  process.exit(2);
}
const { port, host, open } = args;

const rendererDir =
  process.env.SITEHOP_RENDERER_DIR ?? fileURLToPath(new URL('../renderer', import.meta.url));
if (!existsSync(rendererDir)) {
  process.stderr.write(`harness: no built renderer at ${rendererDir}; run "npm run build" first.\n`);
  process.exit(1);
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const core = createAppCore({
  transport: 'harness',
  home: defaultHome(),
  log,
  // Loaded on first use only: the sandbox behind the demo is not part of the harness's startup.
  startDemo: async (options) => (await import('../demo/start-demo')).startDemo(options),
});
const harness = await startHarness({
  rendererDir,
  dispatch: core.dispatch,
  hub: core.hub,
  page: (html, readAsset) => core.firstScreen.page(html, readAsset),
  port,
  host,
  log,
}).catch((err: unknown) => {
  process.stderr.write(`harness: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
process.stdout.write(`${harness.url}\n`);
if (open) openUrl(harness.url, log);

const stop = async (): Promise<void> => {
  await harness.close();
  await core.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
