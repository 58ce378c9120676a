// Sandbox TCP edge throughput against a direct connection to the same loopback sink, measured in one run.
// Usage: npx tsx bench/sandbox-edge.bench.ts [megabytes per transfer, default 200] [rounds, default 3]
// Each round sends the same bytes once directly and once through the edge (order alternates); the sink only
// counts bytes and answers after the FIN, so each time covers the whole transfer. Prints medians and their ratio.
// The edge runs in a child process of its own, as it does for real (its clients are ssh/xfreerdp processes):
// in this process it would share one event loop with the sender and the sink and look slower than it is.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startEdge } from '../src/sandbox/edge/index';
import { InMemoryEdgeView, restrictAndForwardPolicy } from '../src/sandbox/edge/in-memory-edge-view';
import { connectLoopback, startSinkServer } from '../src/sandbox/edge/loopback-test-servers';

const megabytes = Number(process.argv[2] === '--edge-child' ? 0 : (process.argv[2] ?? 200));
const rounds = Number(process.argv[3] ?? 3);
const TARGET = 'tcp://sink.bench.internal:9';
const block = randomBytes(1024 * 1024);

async function transfer(port: number): Promise<number> {
  const started = performance.now();
  const socket = await connectLoopback(port);
  let reply = '';
  socket.on('data', (d: Buffer) => (reply += d.toString()));
  for (let i = 0; i < megabytes; i++) {
    if (!socket.write(block)) await once(socket, 'drain');
  }
  socket.end();
  await once(socket, 'close');
  const seconds = (performance.now() - started) / 1000;
  const { bytes } = JSON.parse(reply) as { bytes: number };
  if (bytes !== megabytes * block.length)
    throw new Error(`the sink got ${bytes} bytes, expected ${megabytes * block.length}`);
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const rate = (seconds: number): string => `${(megabytes / seconds).toFixed(0)} MB/s`;

/** Child process: runs the edge towards the sink, reports its port, and stops when the parent disconnects. */
async function edgeChild(sinkPort: number): Promise<void> {
  const view = new InMemoryEdgeView();
  view.putCloudEndpoint({
    id: 'ep_bench',
    url: 'tcp://127.0.0.1:0',
    traffic_policy: restrictAndForwardPolicy(TARGET, ['127.0.0.0/8']),
  });
  view.putAgentEndpoint(TARGET, `tcp://127.0.0.1:${sinkPort}`);
  const edge = await startEdge(view);
  process.send?.({ port: edge.listening()[0]!.port });
  process.once('disconnect', () => void edge.close());
}

async function main(): Promise<void> {
  const sink = await startSinkServer({ hash: false });
  const child = fork(process.argv[1]!, ['--edge-child', String(sink.port)], { stdio: 'inherit' });
  const [{ port: edgePort }] = (await once(child, 'message')) as [{ port: number }];
  try {
    console.log(
      `sandbox-edge bench: ${megabytes} MB per transfer, ${rounds} rounds, node ${process.version}`,
    );
    await transfer(sink.port);
    await transfer(edgePort);
    const direct: number[] = [];
    const viaEdge: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['direct', 'edge'] as const) : (['edge', 'direct'] as const);
      for (const path of order) {
        const seconds = await transfer(path === 'direct' ? sink.port : edgePort);
        (path === 'direct' ? direct : viaEdge).push(seconds);
        console.log(`round ${r + 1} ${path.padEnd(6)} ${seconds.toFixed(3)} s  ${rate(seconds)}`);
      }
    }
    const d = median(direct);
    const e = median(viaEdge);
    console.log(`median direct ${rate(d)}`);
    console.log(`median edge   ${rate(e)}`);
    console.log(`edge/direct throughput ratio ${(d / e).toFixed(2)}`);
  } finally {
    child.disconnect();
    await once(child, 'exit');
    await sink.close();
  }
}

(process.argv[2] === '--edge-child' ? edgeChild(Number(process.argv[3])) : main()).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
