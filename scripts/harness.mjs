// npm run harness [-- --port P] [--open]: builds what the harness needs, then runs it. Build output goes to stderr so
// that the harness URL (with its token) is the first line on stdout. The command line is checked before the build
// (a bad flag should not cost a build, nor print a stack trace); the full usage is the built harness's --help.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const HARNESS = 'out/node/harness.js';
const argv = process.argv.slice(2);
let help = false;
try {
  // The same flags as src/harness/args.ts; the built harness checks their values.
  help =
    parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values.help === true;
} catch (err) {
  const message = (err instanceof Error ? err.message : String(err)).split(/\.\s|\n/)[0].replace(/\.$/, '');
  process.stderr.write(`harness: ${message}. Try --help.\n`);
  process.exit(2);
}
if (help) {
  if (existsSync(HARNESS)) {
    process.exit(spawnSync(process.execPath, [HARNESS, '--help'], { stdio: 'inherit' }).status ?? 1);
  }
  process.stdout.write(
    'Usage: npm run harness [-- --port P] [--host ADDR] [--open]\n' +
      `Rebuilds out/ (npm run build), then serves the renderer against the real core (${HARNESS}).\n` +
      'Run "npm run build" once for the full help.\n',
  );
  process.exit(0);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 2, 2] });
if (build.status !== 0) {
  process.stderr.write('harness: the build failed.\n');
  process.exit(build.status ?? 1);
}
const child = spawn(process.execPath, [HARNESS, ...argv], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
