// Joins two sockets byte for byte in both directions. pipe() carries backpressure and passes a FIN from one side
// on as end() to the other (both sockets must be allowHalfOpen, or node would close the write side on the first
// FIN). An error or an early close on either side destroys the other, so nothing is left half-dead.
import type { Socket } from 'node:net';

function finishedCleanly(socket: Socket): boolean {
  return socket.readableEnded && socket.writableFinished;
}

/** Calls `onClosed` once, after both sockets have closed. Never throws and never leaves an 'error' unhandled. */
export function splice(a: Socket, b: Socket, onClosed: () => void): void {
  let open = 2;
  const closed = (): void => {
    open -= 1;
    if (open === 0) onClosed();
  };
  for (const [self, peer] of [
    [a, b],
    [b, a],
  ] as const) {
    self.setNoDelay(true);
    self.on('error', () => peer.destroy());
    self.once('close', (hadError: boolean) => {
      // A clean close means both directions finished; anything else (reset, destroy) tears the peer down too.
      if (hadError || !finishedCleanly(self)) peer.destroy();
      closed();
    });
    self.pipe(peer);
  }
}
