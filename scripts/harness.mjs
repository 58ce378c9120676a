// npm run harness [-- --port P] [--open]: builds what the harness needs, then runs it. Build output goes to stderr so
// that the harness URL (with its token) is the first line on stdout.
import { spawn, spawnSync } from 'node:child_process';

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 2, 2] });
if (build.status !== 0) {
  process.stderr.write('harness: the build failed.\n');
  process.exit(build.status ?? 1);
}
const child = spawn(process.execPath, ['out/node/harness.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
