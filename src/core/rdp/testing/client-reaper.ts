// TEST HELPER: records every RDP client a test starts (through the launcher's spawn hook) and kills whatever is
// still running, by process group, when the test ends or its own timeout passes. A client facing a silent listener
// would otherwise hang for minutes.
import net from 'node:net';
import { spawnClient, type ClientProcess, type SpawnOptions } from '../spawn-client';
import type { LaunchPlan } from '../types';

export interface ClientReaper {
  spawn(plan: LaunchPlan, opts: SpawnOptions): Promise<ClientProcess>;
  pids: number[];
  plans: LaunchPlan[];
  /** Kills every recorded client still alive (SIGKILL to its process group). */
  killAll(): void;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function clientReaper(timeoutMs = 30_000): ClientReaper {
  const pids: number[] = [];
  const plans: LaunchPlan[] = [];
  const kill = (pid: number): void => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  return {
    pids,
    plans,
    spawn: async (plan, opts) => {
      plans.push(plan);
      const proc = await spawnClient(plan, opts);
      pids.push(proc.pid);
      const timer = setTimeout(() => kill(proc.pid), timeoutMs);
      timer.unref();
      void proc.exited.then(() => clearTimeout(timer));
      return proc;
    },
    killAll: () => pids.filter(alive).forEach(kill),
  };
}

/** A TCP listener that accepts, records the first bytes of each connection and never answers. */
export async function silentListener(): Promise<{
  port: number;
  first: () => Promise<Buffer>;
  close(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  let resolveFirst!: (b: Buffer) => void;
  const firstBytes = new Promise<Buffer>((r) => (resolveFirst = r));
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let got = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      // A TPKT header says how long the X.224 Connection Request is; resolve once it is all here.
      if (got.length >= 4 && got.length >= got.readUInt16BE(2)) resolveFirst(got);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    first: () => firstBytes,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
