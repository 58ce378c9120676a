// sitehop workspace add|list|rename|remove: the workspaces, their keys in the OS keychain.
import { openServices, table, withErrors } from '../context';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../io';
import { parseOrUsage } from './parse';

const HELP = `Usage:
  sitehop workspace add --name NAME [--api-url URL] [--api-key-stdin]
                                  verify the key, then keep it in the OS keychain
  sitehop workspace list [--json]
  sitehop workspace rename NAME --name NEW
  sitehop workspace remove NAME   also removes its key and its devices' remembered passwords from the
                                  OS keychain, its cached directory, and the notes, usernames, favorites
                                  and pinned host keys kept for its devices (added again, it starts without)
The API URL defaults to https://api.ngrok.com. The key is never an argument: on a terminal "add" asks for it
(typed or pasted, not shown); --api-key-stdin reads it from standard input instead (a pipe, for scripts).
`;

const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h';

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(args, {
    name: { type: 'string' },
    'api-url': { type: 'string' },
    'api-key-stdin': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
  const name = values.name;
  if (typeof name !== 'string' || !name.trim()) throw new UsageError('--name is required.');
  // Never an argument: on the command line the key would show in `ps` and in shell history (so would `echo KEY |`).
  // On a terminal it is asked for (a terminal is not a pipe, whatever the flag); else it is read from the pipe.
  if (!io.askSecret && values['api-key-stdin'] !== true)
    throw new UsageError('pipe the API key into --api-key-stdin, or run this in a terminal to type it.');
  let apiKey: string;
  if (io.askSecret) {
    const typed = await io.askSecret('ngrok API key (dashboard → API → API Keys; not shown): ');
    if (typed === null) {
      io.stderr('sitehop workspace add: cancelled; nothing was stored.\n');
      return ExitCode.interrupted;
    }
    apiKey = typed.trim();
    if (!apiKey) throw new UsageError('no API key was typed.');
  } else {
    apiKey = (
      await io.readStdin().catch((err: unknown) => {
        throw new UsageError(
          `could not read the API key from standard input: ${err instanceof Error ? err.message : String(err)}.`,
        );
      })
    ).trim();
    if (!apiKey) throw new UsageError('standard input was empty: pipe the API key into --api-key-stdin.');
  }
  const apiUrl = typeof values['api-url'] === 'string' ? values['api-url'] : undefined;
  return withErrors('workspace add', io, async () => {
    const ws = await openServices(io).workspaces.add({ name, apiKey, apiUrl });
    io.stdout(`Added workspace "${ws.name}" (${ws.apiUrl}); its key is in the OS keychain.\n`);
    return ExitCode.ok;
  });
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
  return withErrors('workspace list', io, async () => {
    const services = openServices(io);
    const rows = services.workspaces
      .list()
      .map((w) => ({ ...w, lastSyncedAt: services.directory.lastSyncedAt(w.id) }));
    if (values.json === true) {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else if (rows.length === 0) {
      io.stdout('No workspaces yet. Add one with: sitehop workspace add --name NAME --api-key-stdin\n');
    } else {
      io.stdout(
        table([
          ['NAME', 'SOURCE', 'API URL', 'LAST SYNCED'],
          ...rows.map((w) => [w.name, w.source, w.apiUrl, w.lastSyncedAt ?? 'never']),
        ]),
      );
    }
    return ExitCode.ok;
  });
}

async function rename(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(args, { name: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('name the workspace to rename.');
  if (typeof values.name !== 'string') throw new UsageError('--name NEW is required.');
  const newName = values.name;
  return withErrors('workspace rename', io, async () => {
    const services = openServices(io);
    const ws = services.workspaces.rename(services.workspaces.find(positionals[0]!).id, newName);
    io.stdout(`Renamed the workspace to "${ws.name}".\n`);
    return ExitCode.ok;
  });
}

async function remove(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseOrUsage(args, {});
  if (positionals.length !== 1) throw new UsageError('name the workspace to remove.');
  return withErrors('workspace remove', io, async () => {
    const services = openServices(io);
    const ws = services.workspaces.find(positionals[0]!);
    await services.workspaces.remove(ws.id);
    io.stdout(
      `Removed workspace "${ws.name}": its API key and the passwords remembered for its devices left the OS keychain, and its cached directory and its devices' notes, usernames, favorites and pinned host keys are deleted.\n`,
    );
    return ExitCode.ok;
  });
}

export const workspaceCommand: CliCommand = {
  name: 'workspace',
  summary: 'add, list, rename or remove workspaces (ngrok API keys, kept in the OS keychain)',
  usage: 'workspace add|list|rename|remove …',
  async run(args, io) {
    const [sub, ...rest] = args;
    // "sitehop workspace add --help" is a question, not a mistyped flag (options after "--" are not options).
    const dashes = rest.indexOf('--');
    if (sub === '--help' || sub === '-h' || (dashes === -1 ? rest : rest.slice(0, dashes)).some(isHelp)) {
      io.stdout(HELP);
      return ExitCode.ok;
    }
    if (sub === 'add') return add(rest, io);
    if (sub === 'list') return list(rest, io);
    if (sub === 'rename') return rename(rest, io);
    if (sub === 'remove') return remove(rest, io);
    throw new UsageError(
      sub === undefined ? 'choose add, list, rename or remove.' : `unknown subcommand "${sub}".`,
    );
  },
};
