// `npm run harness [-- --port P] [--open]`: serves the built renderer against the real core in plain Node.
// The first line of output is the URL to open (with its per-run token); --open also opens it in the system
// browser. Data lives under SITEHOP_HOME.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAppCore } from '../core/app-core';
import { defaultHome } from '../core/paths';
import { openUrl } from './open-url';
import { startHarness } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' } },
  allowPositionals: false,
});
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`harness: --port must be a number from 0 to 65535, not "${values.port}".\n`);
  process.exit(2);
}

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
  host: values.host ?? '127.0.0.1',
  log,
}).catch((err: unknown) => {
  process.stderr.write(`harness: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
process.stdout.write(`${harness.url}\n`);
if (values.open) openUrl(harness.url, log);

const stop = async (): Promise<void> => {
  await harness.close();
  await core.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
