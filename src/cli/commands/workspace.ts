// sitehop workspace add|list|rename|set-key|remove: the workspaces, their keys in the OS keychain.
import { findWorkspace, openServices, table, withErrors } from '../context';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../io';
import { parseOrUsage } from './parse';

const HELP = `Usage:
  sitehop workspace add --name NAME [--api-url URL] [--api-key-stdin]
                                  verify the key, then keep it in the OS keychain
  sitehop workspace list [--json]
  sitehop workspace rename NAME --name NEW
  sitehop workspace set-key NAME [--key-stdin]
                                  a new API key for the workspace (revoked or rotated): verified, refused
                                  if it reaches another ngrok account, and kept in place of the old one;
                                  the workspace keeps its notes, usernames, favorites and pinned host keys
  sitehop workspace remove NAME   also removes its key and its devices' remembered passwords from the
                                  OS keychain, its cached directory, and the notes, usernames, favorites
                                  and pinned host keys kept for its devices (added again, it starts without)
The API URL defaults to https://api.ngrok.com. The key is never an argument: on a terminal "add" and
"set-key" ask for it (typed or pasted, not shown); --api-key-stdin (or --key-stdin) reads it from standard
input instead (a pipe, for scripts).
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
  const apiKey = await readKey('add', values['api-key-stdin'] === true, io);
  if (apiKey === null) return ExitCode.interrupted;
  const apiUrl = typeof values['api-url'] === 'string' ? values['api-url'] : undefined;
  return withErrors('workspace add', io, async () => {
    const ws = await openServices(io).workspaces.add({ name, apiKey, apiUrl });
    io.stdout(`Added workspace "${ws.name}" (${ws.apiUrl}); its key is in the OS keychain.\n`);
    return ExitCode.ok;
  });
}

/**
 * The API key, never from an argument: on the command line it would show in `ps` and in shell history (so would
 * `echo KEY |`). On a terminal it is asked for (a terminal is not a pipe, whatever the flag); else it is read from
 * the pipe. Null when the technician cancelled the question (said on stderr).
 */
async function readKey(sub: string, fromStdin: boolean, io: CliIo): Promise<string | null> {
  if (!io.askSecret && !fromStdin)
    throw new UsageError('pipe the API key into --api-key-stdin, or run this in a terminal to type it.');
  if (io.askSecret) {
    const typed = await io.askSecret('ngrok API key (dashboard → API → API Keys; not shown): ');
    if (typed === null) {
      io.stderr(`sitehop workspace ${sub}: cancelled; nothing was stored.\n`);
      return null;
    }
    const apiKey = typed.trim();
    if (!apiKey) throw new UsageError('no API key was typed.');
    return apiKey;
  }
  const apiKey = (
    await io.readStdin().catch((err: unknown) => {
      throw new UsageError(
        `could not read the API key from standard input: ${err instanceof Error ? err.message : String(err)}.`,
      );
    })
  ).trim();
  if (!apiKey) throw new UsageError('standard input was empty: pipe the API key into --api-key-stdin.');
  return apiKey;
}

async function setKey(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(args, {
    'key-stdin': { type: 'boolean' },
    'api-key-stdin': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('name the workspace whose API key to replace.');
  // Which workspace first: a name that matches none should not cost the technician a pasted key.
  const ws = await withErrors('workspace set-key', io, async () => {
    findWorkspace(openServices(io), positionals[0]!);
    return ExitCode.ok;
  });
  if (ws !== ExitCode.ok) return ws;
  const apiKey = await readKey(
    'set-key',
    values['key-stdin'] === true || values['api-key-stdin'] === true,
    io,
  );
  if (apiKey === null) return ExitCode.interrupted;
  return withErrors('workspace set-key', io, async () => {
    const services = openServices(io);
    const replaced = await services.workspaces.replaceKey(
      findWorkspace(services, positionals[0]!).id,
      apiKey,
    );
    io.stdout(
      `Replaced the API key of workspace "${replaced.name}"; the old key left the OS keychain. Its notes, usernames, favorites and pinned host keys are kept. The next sync (sitehop sync, or the app) reads with the new key.\n`,
    );
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
    const ws = services.workspaces.rename(findWorkspace(services, positionals[0]!).id, newName);
    io.stdout(`Renamed the workspace to "${ws.name}".\n`);
    return ExitCode.ok;
  });
}

async function remove(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseOrUsage(args, {});
  if (positionals.length !== 1) throw new UsageError('name the workspace to remove.');
  return withErrors('workspace remove', io, async () => {
    const services = openServices(io);
    const ws = findWorkspace(services, positionals[0]!);
    await services.workspaces.remove(ws.id);
    io.stdout(
      `Removed workspace "${ws.name}": its API key and the passwords remembered for its devices left the OS keychain, and its cached directory and its devices' notes, usernames, favorites and pinned host keys are deleted.\n`,
    );
    return ExitCode.ok;
  });
}

// A Map, not an object literal: "sitehop workspace constructor" must not find Object's.
const subcommands = new Map<string, (args: string[], io: CliIo) => Promise<number>>([
  ['add', add],
  ['list', list],
  ['rename', rename],
  ['set-key', setKey],
  ['remove', remove],
]);

const USAGE = new Map([
  ['add', 'workspace add --name NAME [--api-url URL] [--api-key-stdin]'],
  ['list', 'workspace list [--json]'],
  ['rename', 'workspace rename NAME --name NEW'],
  ['set-key', 'workspace set-key NAME [--key-stdin]'],
  ['remove', 'workspace remove NAME'],
]);

export const workspaceCommand: CliCommand = {
  name: 'workspace',
  summary: 'add, list, rename, re-key or remove workspaces (ngrok API keys, kept in the OS keychain)',
  usage: 'workspace add|list|rename|set-key|remove …',
  async run(args, io) {
    const [sub, ...rest] = args;
    // "sitehop workspace add --help" is a question, not a mistyped flag (options after "--" are not options).
    const dashes = rest.indexOf('--');
    if (sub === '--help' || sub === '-h' || (dashes === -1 ? rest : rest.slice(0, dashes)).some(isHelp)) {
      io.stdout(HELP);
      return ExitCode.ok;
    }
    const run = sub === undefined ? undefined : subcommands.get(sub);
    if (run) {
      try {
        return await run(rest, io);
      } catch (err) {
        // The subcommand's own name and usage line: the command's ("add|list|…") does not say what was missing.
        if (err instanceof UsageError && !err.where)
          throw new UsageError(err.message, { name: `workspace ${sub}`, usage: USAGE.get(sub!)! });
        throw err;
      }
    }
    throw new UsageError(
      sub === undefined ? 'choose add, list, rename, set-key or remove.' : `unknown subcommand "${sub}".`,
    );
  },
};
