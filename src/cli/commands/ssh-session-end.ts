// How a `sitehop ssh` session ended: the remote command's exit status, the device closing the session without one,
// or the connection dropping under it (then, and only then, the command says why: ssh.ts).
import type { Client, ClientChannel } from 'ssh2';

/** OpenSSH's exit status when the connection (not the remote command) fails, or no status came back. */
export const SSH_CONNECTION_FAILED = 255;

export interface DropWatch {
  /** Resolves (null) once the connection has closed. */
  lost: Promise<null>;
  /** The first error the connection reported, if any. */
  error(): Error | null;
  /** The connection has closed. */
  closed(): boolean;
}

/** The connection closing under the session, and the error it reported first, if any. */
export function watchDrop(client: Pick<Client, 'on'>): DropWatch {
  let error: Error | null = null;
  let closed = false;
  client.on('error', (err: Error) => (error ??= err));
  const lost = new Promise<null>((resolve) =>
    client.on('close', () => {
      closed = true;
      resolve(null);
    }),
  );
  return { lost, error: () => error, closed: () => closed };
}

/**
 * Resolves with the remote exit status once the channel has closed (a signal counts as 128 + 1, like ssh); null when
 * the connection dropped under it. A device may close the session with no exit status over a connection that stays
 * up (some appliances never send one, e.g. APC network management cards; OpenSSH's ChannelTimeout): that is 255,
 * as OpenSSH's ssh gives, without a word, not a drop. ssh2 emits the connection's 'close' before it closes the
 * channels of a connection that went, so `drop.closed()` already says so when such a channel closes.
 */
export function exitStatus(channel: ClientChannel, drop: Pick<DropWatch, 'closed'>): Promise<number | null> {
  return new Promise((resolve) => {
    let status: number | null = null;
    channel.on('exit', (code: number | null, signal?: string) => {
      status = code ?? (signal ? 129 : 0);
    });
    channel.on('close', () => resolve(status ?? (drop.closed() ? null : SSH_CONNECTION_FAILED)));
  });
}

/**
 * The reader of the session's output went away (`sitehop ssh DEVICE -- cmd | head`: EPIPE on stdout): the session is
 * closed, quietly, as OpenSSH's ssh does. The stream is unpiped on that error, so without this the channel's output
 * stayed unread: the remote command blocked on a full window and the channel never closed, and sitehop hung. What
 * the device still sends is read and dropped, so the channel can finish and its exit status (if any) come back.
 */
export function closeWhenOutputGone(channel: ClientChannel, output: NodeJS.WritableStream): void {
  output.once('error', () => {
    channel.unpipe();
    channel.resume();
    channel.close();
  });
}
