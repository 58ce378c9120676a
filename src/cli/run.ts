import { APP_VERSION } from '../core/version';
import { commands } from './commands/index';
import { ExitCode, UsageError, type CliIo } from './io';
import { plainMessage } from './plain-error';

function help(): string {
  // Usage on its own line, the summary indented under it: usages differ too much in length for one column.
  const lines = commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]);
  return [
    'sitehop: reach customer devices published through ngrok',
    '',
    'Usage: sitehop <command> [options]',
    '',
    'Commands:',
    ...(lines.length > 0 ? lines : ['  (none yet)']),
    '',
    'Options:',
    '  --help, -h     show this help',
    '  --version, -v  print the version',
    '',
    'Environment: SITEHOP_HOME (data folder), SITEHOP_API_KEY + SITEHOP_API_URL (use a key without storing it).',
    '',
    'Exit status: 0 done, 1 failed, 2 usage (a wrong option or name), 3 the API key was refused, 4 ngrok, the',
    'device or an RDP client unreachable or missing, 130 interrupted (Ctrl+C). sitehop ssh passes the remote',
    'command\'s status through (255: the connection or login failed). "sitehop COMMAND --help" for each command.',
    '',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  // "sitehop help sync" is "sitehop sync --help", as in git and npm.
  const helpFor = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
  if (helpFor) return helpFor.run(['--help'], io);
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(help());
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${APP_VERSION}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr(`sitehop: unknown command "${first}". Run "sitehop --help" for the list.\n`);
    return ExitCode.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const { name, usage } = err.where ?? command;
      io.stderr(`sitehop ${name}: ${err.message}\nUsage: sitehop ${usage}\n`);
      return ExitCode.usage;
    }
    io.stderr(`sitehop ${command.name}: ${plainMessage(err)}\n`);
    return ExitCode.failure;
  }
}
