// TEST HELPER: a loopback TCP proxy the test controls, to make a peer misbehave the way a weak uplink does:
// freeze() stops forwarding in both directions without closing anything (the peer "stops answering"), cut()
// destroys every connection (the line drops).
import net from 'node:net';

export interface ControlledProxy {
  port: number;
  connections(): number;
  /** Connections accepted since start. */
  accepted(): number;
  freeze(): void;
  thaw(): void;
  cut(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<ControlledProxy> {
  const pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  let frozen = false;
  let accepted = 0;
  const server = net.createServer((a) => {
    accepted++;
    const b = net.connect(targetPort, targetHost);
    const pair = { a, b };
    pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (d: Buffer) => {
        // Frozen: bytes are swallowed, like packets lost on a dead path; no FIN, no RST.
        if (!frozen) to.write(d);
      });
    forward(a, b);
    forward(b, a);
    const end = () => {
      a.destroy();
      b.destroy();
      pairs.delete(pair);
    };
    a.on('error', end).on('close', end);
    b.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => pairs.size,
    accepted: () => accepted,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
    },
    cut: () => {
      for (const { a, b } of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { a, b } of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
