// An embedded SSH server that stands in for a customer device, so the sandbox demo needs nothing installed.
// ssh2's Server does the protocol; users log in with a password or a public key; sessions get the simulated
// shell (demo-shell.ts) or one command (exec). It binds to 127.0.0.1 only.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2, {
  type AuthContext,
  type Connection,
  type ParsedKey,
  type ServerChannel,
  type Session,
} from 'ssh2';
import { runCommand, type DemoContext } from './demo-commands';
import { DemoShell } from './demo-shell';
import { loadHostKey, parseOneKey } from './host-key';

// ssh2 is CommonJS: under plain Node ESM only some of its exports are detectable as named imports.
const { Server } = ssh2;

export interface DemoUser {
  username: string;
  password?: string;
  /** authorized_keys lines ("ssh-ed25519 AAAA… comment") or OpenSSH public key files' contents. */
  publicKeys?: string[];
}

export interface DemoSshDeviceOptions {
  host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to one user, demo / demo. */
  users?: DemoUser[];
  /** A private host key (OpenSSH or PEM); a fresh ed25519 key is generated when absent. */
  hostKey?: string | Buffer;
  /** The host name the shell shows (prompt, `hostname`, motd). Defaults to "frontdesk". */
  deviceName?: string;
}

export interface DemoSshDevice {
  host: string;
  port: number;
  /** SHA256:<base64, no padding>, as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  close(): Promise<void>;
}

interface Account {
  passwordHash?: Buffer;
  keys: ParsedKey[];
}

const BANNER = 'SiteHop demo device: a simulated machine in the SiteHop sandbox (log in as demo / demo).\r\n';
const BANNER_NO_LOGIN = 'SiteHop demo device: a simulated machine in the SiteHop sandbox.\r\n';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function accountsFrom(users: DemoUser[]): Map<string, Account> {
  const accounts = new Map<string, Account>();
  for (const user of users) {
    accounts.set(user.username, {
      passwordHash: user.password === undefined ? undefined : digest(user.password),
      keys: (user.publicKeys ?? []).map((k, i) => parseOneKey(k, `public key ${i + 1} of ${user.username}`)),
    });
  }
  return accounts;
}

function authenticate(ctx: AuthContext, accounts: Map<string, Account>): boolean {
  const account = accounts.get(ctx.username);
  if (!account) return false;
  if (ctx.method === 'password') {
    // Compare digests so the comparison takes the same time whatever the lengths.
    return account.passwordHash !== undefined && timingSafeEqual(digest(ctx.password), account.passwordHash);
  }
  if (ctx.method === 'publickey') {
    const key = account.keys.find((k) => k.getPublicSSH().equals(ctx.key.data));
    if (!key) return false;
    // Without a signature the client only asks whether the key would do; with one, it must verify.
    return (
      ctx.signature === undefined ||
      (ctx.blob !== undefined && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo))
    );
  }
  return false;
}

function handleSession(session: Session, user: string, hostname: string, startedAt: number): void {
  const ctx: DemoContext = { user, hostname, startedAt, cols: 80, rows: 24 };
  let pty = false;
  let shell: DemoShell | undefined;
  session.on('pty', (accept, _reject, info) => {
    pty = true;
    ctx.cols = info.cols || ctx.cols;
    ctx.rows = info.rows || ctx.rows;
    accept?.();
  });
  session.on('window-change', (accept, _reject, info) => {
    ctx.cols = info.cols || ctx.cols;
    ctx.rows = info.rows || ctx.rows;
    shell?.resize(ctx.cols, ctx.rows);
    accept?.();
  });
  session.on('env', (accept) => accept?.());
  session.on('shell', (accept) => {
    const channel: ServerChannel = accept();
    shell = new DemoShell(channel, ctx, pty);
    shell.start();
  });
  session.on('exec', (accept, _reject, info) => {
    const channel: ServerChannel = accept();
    channel.on('error', () => {});
    const result = runCommand(info.command, ctx);
    channel.write(pty ? result.output.replace(/\r?\n/g, '\r\n') : result.output);
    channel.exit(result.exitCode);
    channel.end();
  });
  // sftp, x11, agent forwarding: no listener, so ssh2 refuses them.
}

export async function startDemoSshDevice(opts: DemoSshDeviceOptions = {}): Promise<DemoSshDevice> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('the demo device listens on 127.0.0.1 only');
  const hostKey = loadHostKey(opts.hostKey);
  const accounts = accountsFrom(opts.users ?? [{ username: 'demo', password: 'demo' }]);
  const hostname = opts.deviceName ?? 'frontdesk';
  const startedAt = Date.now();
  const clients = new Set<Connection>();

  const server = new Server(
    // The login hint holds for the default user only; a chosen login is shown where it was chosen.
    {
      hostKeys: [hostKey.privateKey],
      banner: opts.users ? BANNER_NO_LOGIN : BANNER,
      ident: 'SiteHopDemoDevice',
    },
    (client) => {
      clients.add(client);
      let user = '';
      client.on('error', () => client.end());
      client.on('close', () => clients.delete(client));
      client.on('authentication', (ctx) => {
        if (authenticate(ctx, accounts)) {
          user = ctx.username;
          ctx.accept();
        } else {
          ctx.reject(['password', 'publickey']);
        }
      });
      client.on('session', (accept) => handleSession(accept(), user, hostname, startedAt));
    },
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => {});
  const port = (server.address() as AddressInfo).port;

  return {
    host,
    port,
    hostKeyFingerprint: hostKey.fingerprint,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end();
        server.close(() => resolve());
      }),
  };
}
