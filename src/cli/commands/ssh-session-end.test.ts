// How a `sitehop ssh` session ended (ssh-session-end.ts), with ssh2's real client against an ssh2 server on loopback,
// through a TCP relay that can cut the line: the exit status passes through; a device that closes the session with
// no exit status over a connection that stays up gives 255 and is not a drop (no drop line, no API check); a line
// cut under a running command is a drop.
import net from 'node:net';
import { Writable } from 'node:stream';
import ssh2, { type ClientChannel } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { freshEd25519 } from '../../sandbox/demo-device/host-key';
import { closeWhenOutputGone, exitStatus, SSH_CONNECTION_FAILED, watchDrop } from './ssh-session-end';

const { Client, Server } = ssh2;
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/**
 * A device that runs `status N` (exits N), `nostatus` (closes the session with no exit status), `hang` (runs until
 * the line is cut) and `yes` (writes until the session is closed), behind a relay whose `cut()` drops every
 * connection through it.
 */
async function device(): Promise<{ port: number; cut(): void }> {
  const server = new Server({ hostKeys: [freshEd25519().private] }, (conn) => {
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => ctx.accept());
    conn.on('ready', () =>
      conn.on('session', (accept) =>
        accept().on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          channel.write(`ran ${info.command}\n`);
          const [what, n] = info.command.split(' ');
          if (what === 'status') {
            channel.exit(Number(n));
            channel.close();
          } else if (what === 'nostatus') channel.close();
          else if (what === 'yes') {
            let open = true;
            channel.on('close', () => (open = false));
            const more = (): void => {
              while (open && channel.write('y\n'.repeat(8192)));
              if (open) channel.once('drain', more);
            };
            more();
          }
        }),
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((inbound) => {
    const outbound = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  closers.push(() => relay.close());
  const cut = (): void => {
    for (const s of sockets) s.destroy();
  };
  closers.push(cut);
  return { port: (relay.address() as net.AddressInfo).port, cut };
}

/** A client logged in to the device on `port`, its drop watched from the start as `sitehop ssh` does. */
async function connected(port: number) {
  const client = new Client();
  closers.push(() => client.end());
  const drop = watchDrop(client);
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({ host: '127.0.0.1', port, username: 'tech', password: 'x' });
  });
  return { client, drop };
}

/** Runs `command` as `sitehop ssh` does and says how it ended. */
async function run(port: number, command: string, whileRunning?: () => void) {
  const { client, drop } = await connected(port);
  let output = '';
  const status = await new Promise<Promise<number | null>>((resolve, reject) =>
    client.exec(command, (err: Error | undefined, channel: ClientChannel) => {
      if (err) return reject(err);
      channel.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('\n')) whileRunning?.();
      });
      resolve(exitStatus(channel, drop));
    }),
  );
  const ended = await Promise.race([status, drop.lost]);
  // The channel's own answer agrees, whichever of the two came first.
  expect(await status).toBe(ended);
  client.end();
  return { ended, output };
}

describe('how a sitehop ssh session ended', () => {
  it('passes the exit status through', async () => {
    const { port } = await device();
    expect(await run(port, 'status 7')).toEqual({ ended: 7, output: 'ran status 7\n' });
    expect((await run(port, 'status 0')).ended).toBe(0);
  });

  it('gives 255, not a drop, when the device closes the session with no exit status over a live connection', async () => {
    const { port } = await device();
    expect(await run(port, 'nostatus')).toEqual({ ended: SSH_CONNECTION_FAILED, output: 'ran nostatus\n' });
  });

  it('is a drop (null) when the line is cut under a running command', async () => {
    const line = await device();
    expect(await run(line.port, 'hang', () => line.cut())).toEqual({ ended: null, output: 'ran hang\n' });
  });

  it('ends the session, quietly, when the reader of its output goes away (sitehop ssh … | head)', async () => {
    const { port } = await device();
    const { client, drop } = await connected(port);
    // A reader that takes 64 KiB and then closes the pipe, as head does.
    let taken = 0;
    const head = new Writable({
      write(chunk: Buffer, _encoding, done) {
        taken += chunk.length;
        if (taken < 65_536) done();
        else done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const status = await new Promise<Promise<number | null>>((resolve, reject) =>
      client.exec('yes', (err: Error | undefined, channel: ClientChannel) => {
        if (err) return reject(err);
        channel.pipe(head);
        closeWhenOutputGone(channel, head);
        resolve(exitStatus(channel, drop));
      }),
    );
    // Ended by the device's own answer to the close (this device sends no status: 255), the connection up: no drop.
    expect(await status).toBe(SSH_CONNECTION_FAILED);
    expect(drop.closed()).toBe(false);
    client.end();
  }, 15_000);
});
