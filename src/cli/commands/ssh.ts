// sitehop ssh SITE/DEVICE: an interactive shell (raw TTY, window-size changes) or, with -- COMMAND, the command's
// output and exit status, like OpenSSH (255 when the connection itself fails). Same host-key pins, remembered
// secrets and username defaults as the app; a changed host key always fails with the warning on stderr.
import path from 'node:path';
import type { ClientChannel } from 'ssh2';
import { connectSsh, type SshConnection } from '../../core/ssh/connect';
import type { ServiceCheck } from '../../core/directory/sync-service';
import { createDropCheck } from '../../core/ssh/drop-check';
import {
  agentOfflineFailure,
  droppedSentence,
  nothingPublished,
  nothingPublishedFailure,
} from '../../core/ssh/explain';
import { endpointFacts, matchDevice, type FoundService } from '../../core/ssh/find-service';
import { cutDuringLogin, offlineFailure } from '../../core/ssh/offline-failure';
import { chooseUsername, usernameToSave } from '../../core/ssh/username-order';
import { envWorkspaceIdOf } from '../../core/settings/legacy-owners';
import { openHostKeyPins } from '../../core/ssh/host-key-pins';
import { defaultKeyPaths, readKeyFiles } from '../../core/ssh/key-files';
import { SshFailure } from '../../core/ssh/ssh-errors';
import { defaultHome } from '../../core/paths';
import type { CoreServices } from '../../core/app-core';
import { loadDirectory, openServices, pickWorkspace } from '../context';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../io';
import { parseOrUsage } from './parse';
import {
  closeWhenOutputGone,
  exitStatus,
  SSH_CONNECTION_FAILED,
  watchDrop,
  type DropWatch,
} from './ssh-session-end';
import { cliPrompter, processTerminal, readLine, type CliTerminal } from './ssh-terminal';

const HELP = `Usage: sitehop ssh SITE/DEVICE [-l USER] [-i KEYFILE] [--password-stdin] [--accept-new-host-key]
                   [--workspace NAME] [-- COMMAND...]

Opens a shell on the device's SSH service (its ngrok address from the cached directory), or runs COMMAND and
exits with its exit status. SITE/DEVICE matches site and device names or ids, case-insensitively.
  -l USER                 log in as USER (default: the device's metadata, else the last one used, else asked)
  -i KEYFILE              private key to offer (OpenSSH or PEM, encrypted or not); default ~/.ssh/id_*
  --password-stdin        read the password from standard input (first line)
  --accept-new-host-key   pin a device's host key on first use without asking (a changed key still fails)
Exit status: the remote command's, 255 when the connection or login fails or drops (the reason on stderr: the
site's agent offline when one API check says so) or the device sends none, 2 for a usage error.
The host key is pinned per device (shared with the app); a changed key is refused with a warning
(sitehop host-keys forget SITE/DEVICE drops the old pin once you know why it changed).
`;

const OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  login: { type: 'string', short: 'l' },
  identity: { type: 'string', short: 'i' },
  'password-stdin': { type: 'boolean' },
  'accept-new-host-key': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function createSshCommand(terminal: () => CliTerminal = processTerminal): CliCommand {
  return {
    name: 'ssh',
    summary: 'open a shell on a device, or run a command there (exit status passed through)',
    usage:
      'ssh SITE/DEVICE [-l USER] [-i KEYFILE] [--password-stdin] [--accept-new-host-key] [-- COMMAND...]',
    async run(args, io) {
      const { values, positionals } = parseOrUsage(args, OPTIONS);
      if (values.help === true) {
        io.stdout(HELP);
        return ExitCode.ok;
      }
      const [target, ...command] = positionals;
      if (target === undefined) throw new UsageError('name the device as SITE/DEVICE.');
      const term = terminal();
      try {
        return await runSsh(io, term, {
          target,
          command: command.map(quote).join(' '),
          workspace: values.workspace,
          login: values.login,
          identity: values.identity,
          passwordStdin: values['password-stdin'] === true,
          acceptNewHostKey: values['accept-new-host-key'] === true,
        });
      } catch (err) {
        if (err instanceof UsageError) throw err;
        const message = err instanceof Error ? err.message : String(err);
        io.stderr(`sitehop ssh: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
        return SSH_CONNECTION_FAILED;
      }
    },
  };
}

interface SshArgs {
  target: string;
  command: string;
  workspace: string | undefined;
  login: string | undefined;
  identity: string | undefined;
  passwordStdin: boolean;
  acceptNewHostKey: boolean;
}

async function runSsh(io: CliIo, term: CliTerminal, a: SshArgs): Promise<number> {
  const services = openServices(io);
  const workspace = pickWorkspace(services, a.workspace);
  const snapshot = await loadDirectory(services, workspace, io);
  const match = matchDevice(snapshot, a.target);
  if (!match.ok) {
    const list = match.candidates.map((c) => `  ${c}`).join('\n');
    if (match.reason === 'no-ssh')
      throw new UsageError(`"${a.target}" has no SSH service; it offers:\n${list}`);
    throw new UsageError(
      match.reason === 'ambiguous'
        ? `"${a.target}" matches several devices; name one as SITE/DEVICE:\n${list}`
        : `there is no device "${a.target}" in workspace "${workspace.name}".${list ? ` Did you mean:\n${list}` : ''}`,
    );
  }
  // One filtered API request confirms the endpoints are still there and updates the directory (issue 12).
  const check = await services.directory.checkService(workspace.id, match.found.service.id);
  if (check.state === 'gone')
    throw new UsageError(
      `"${a.target}" no longer has that SSH service in the ngrok account; run sitehop sync.`,
    );
  const found = { ...match.found, service: check.service };
  const { device, service } = found;
  const facts = endpointFacts(found);
  if (!service.online && service.offlineReason === 'agent_offline') throw agentOfflineFailure(facts);
  if (nothingPublished(check, service)) throw nothingPublishedFailure(facts, device.name);

  const interactiveTty = term.stdin.isTTY === true;
  const password = a.passwordStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : null;
  const canAsk = interactiveTty && !a.passwordStdin;
  const prompter = cliPrompter(term, { acceptNewHostKey: a.acceptNewHostKey, interactive: canAsk });
  // The app's order (core/ssh/username-order.ts): -l, the technician's kept choice, the metadata user, the last
  // metadata login; asked on a terminal only when none is known.
  const choice = chooseUsername({
    explicit: a.login,
    prefs: services.settings.devicePrefs(workspace.id, device.id),
    metadataUser: service.username,
  });
  const username = choice.username ?? (canAsk ? await readLine(term, 'Username: ', false) : null);
  if (!username) throw new UsageError('no username is known for this device: give one with -l USER.');

  let keys;
  try {
    keys = a.identity
      ? readKeyFiles([path.resolve(a.identity)], true)
      : readKeyFiles(defaultKeyPaths(io.env), false);
  } catch (err) {
    throw new SshFailure('key_file', err instanceof Error ? err.message : String(err));
  }
  const connect = connectSsh({
    host: service.host,
    port: service.port,
    workspaceId: workspace.id,
    deviceId: device.id,
    username,
    facts,
    pins: openHostKeyPins({
      home: defaultHome(io.env),
      envWorkspaceId: envWorkspaceIdOf(() => services.workspaces.list()),
    }),
    prompter,
    credentials: services.credentials,
    keys,
    agent: io.env.SSH_AUTH_SOCK || (process.platform === 'win32' ? 'pageant' : null),
    password,
  });
  // A login the edge cut (the agent went offline since the check): the reason one connect check gives, as the app's.
  const connection = await connect.catch(async (err: unknown) => {
    if (!(err instanceof SshFailure) || !cutDuringLogin(err.kind)) throw err;
    throw new SshFailure(
      err.kind,
      (await cutReason(services, workspace.id, found, check, 'login_cut')) ?? err.message,
    );
  });
  // In the workspace's own records, which the app shows too (device ids repeat across workspaces).
  services.settings.addRecent(workspace.id, device.id);
  const save = usernameToSave(
    username,
    choice.fromMetadata,
    services.settings.devicePrefs(workspace.id, device.id),
  );
  if (save) services.settings.setDevicePrefs(workspace.id, device.id, save);
  const dropped = watchDrop(connection.client);
  let code: number | null;
  try {
    code = a.command
      ? await runCommand(connection, dropped, term, io, a.command, !a.passwordStdin && !interactiveTty)
      : await runShell(connection, dropped, term, io);
  } finally {
    connection.client.end();
  }
  if (code !== null) return code;
  // The connection ended under the session: say why, as the app's tab does (the line on its own line after a shell).
  const why =
    (await cutReason(services, workspace.id, found, check, 'session_cut')) ??
    droppedSentence(dropped.error());
  io.stderr(`${interactiveTty && !a.command ? '\n' : ''}sitehop ssh: ${why}\n`);
  return SSH_CONNECTION_FAILED;
}

/**
 * After a drop (of the session, or of the login by the edge): the reason one connect check gives (the site's agent
 * offline, nothing published behind the address, the service gone: the app's words), under the app's drop budget
 * (none while the account is rate-limited or a sync of this process failed), and none when the check before dialling
 * got no answer from the API either; null when there is none.
 */
async function cutReason(
  services: CoreServices,
  workspaceId: string,
  found: FoundService,
  before: ServiceCheck,
  moment: 'session_cut' | 'login_cut',
): Promise<string | null> {
  if (!before.checked) return null;
  const check = await createDropCheck(services.directory).explain(workspaceId, found.service.id);
  if (!check) return null;
  const current = check.state === 'gone' ? found : { ...found, service: check.service };
  return offlineFailure(check, current, moment)?.message ?? null;
}

/**
 * The channel ssh2 opens, with its exit status watched from the callback on: the exec reply, the exit status and the
 * close can come in one read (a quick command, a busy relay), and ssh2 emits them all in that one synchronous pass,
 * so listeners added after an await missed 'exit' and a command that exited 0 was reported as 255.
 */
function opened(
  open: (done: (err: Error | undefined, channel: ClientChannel) => void) => void,
  dropped: DropWatch,
): Promise<{ channel: ClientChannel; status: Promise<number | null> }> {
  return new Promise((resolve, reject) =>
    open((err, channel) => (err ? reject(err) : resolve({ channel, status: exitStatus(channel, dropped) }))),
  );
}

async function runCommand(
  connection: SshConnection,
  dropped: DropWatch,
  term: CliTerminal,
  io: CliIo,
  command: string,
  forwardStdin: boolean,
): Promise<number | null> {
  const { channel, status } = await opened((done) => connection.client.exec(command, done), dropped);
  channel.pipe(term.stdout, { end: false });
  closeWhenOutputGone(channel, term.stdout);
  channel.stderr.pipe(term.stderr, { end: false });
  if (forwardStdin) term.stdin.pipe(channel);
  else channel.end();
  const stop = io.stopSignal.then(() => {
    channel.close();
    return 130;
  });
  return Promise.race([status, dropped.lost, stop]);
}

async function runShell(
  connection: SshConnection,
  dropped: DropWatch,
  term: CliTerminal,
  io: CliIo,
): Promise<number | null> {
  const { stdin, stdout } = term;
  const { channel, status } = await opened(
    (done) =>
      connection.client.shell(
        { term: io.env.TERM || 'xterm-256color', cols: stdout.columns ?? 80, rows: stdout.rows ?? 24 },
        done,
      ),
    dropped,
  );
  const raw = stdin.isTTY === true;
  if (raw) stdin.setRawMode?.(true);
  const offResize = term.onResize(() => channel.setWindow(stdout.rows ?? 24, stdout.columns ?? 80, 0, 0));
  stdin.pipe(channel);
  channel.pipe(stdout, { end: false });
  closeWhenOutputGone(channel, stdout);
  channel.stderr.pipe(term.stderr, { end: false });
  try {
    return await Promise.race([status, dropped.lost]);
  } finally {
    offResize();
    stdin.unpipe(channel);
    if (raw) stdin.setRawMode?.(false);
    stdin.pause();
  }
}

export const sshCommand = createSshCommand();
