// The two sandbox pieces together, as startSandbox wires them: an ssh2 client reaches the demo device through the edge.
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from 'ssh2';
import { startEdge } from '../edge/index';
import { InMemoryEdgeView, restrictAndForwardPolicy } from '../edge/in-memory-edge-view';
import { startDemoSshDevice } from './index';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('demo device behind the edge', () => {
  it('serves an exec through the edge', async () => {
    const device = await startDemoSshDevice({ deviceName: 'reception' });
    cleanups.push(() => device.close());
    const view = new InMemoryEdgeView();
    view.putCloudEndpoint({
      id: 'ep_demo',
      url: 'tcp://127.0.0.1:0',
      traffic_policy: restrictAndForwardPolicy('tcp://reception.clinic1.internal:22'),
    });
    view.putAgentEndpoint('tcp://reception.clinic1.internal:22', `tcp://127.0.0.1:${device.port}`);
    const edge = await startEdge(view);
    cleanups.push(() => edge.close());

    const output = await new Promise<string>((resolve, reject) => {
      const client = new Client();
      client.on('error', reject);
      client.on('ready', () =>
        client.exec('hostname', (err, stream) => {
          if (err) return reject(err);
          let out = '';
          stream.on('data', (d: Buffer) => (out += d.toString()));
          stream.on('close', () => {
            client.end();
            resolve(out);
          });
        }),
      );
      client.connect({
        host: '127.0.0.1',
        port: edge.listening()[0]!.port,
        username: 'demo',
        password: 'demo',
        readyTimeout: 20_000,
      });
    });
    expect(output).toBe('reception\n');
  });
});
