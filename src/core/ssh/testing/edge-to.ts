// TEST HELPER: the sandbox's TCP edge in front of a real upstream (the test sshd, our own sshd, a proxy), with
// ngrok's restrict-ips + forward-internal policy, so SSH tests go through the same relay path as the product.
import { startEdge } from '../../../sandbox/edge/index';
import { InMemoryEdgeView, restrictAndForwardPolicy } from '../../../sandbox/edge/in-memory-edge-view';

export interface EdgeFixture {
  port: number;
  view: InMemoryEdgeView;
  target: string;
  setOnline(online: boolean): void;
  close(): Promise<void>;
}

export async function edgeTo(
  upstreamPort: number,
  options: { allow?: string[]; deny?: string[]; online?: boolean } = {},
): Promise<EdgeFixture> {
  const target = `tcp://dev${upstreamPort}.lab.internal:22`;
  const view = new InMemoryEdgeView();
  view.putCloudEndpoint({
    id: `ep_${upstreamPort}`,
    url: 'tcp://127.0.0.1:0',
    traffic_policy: restrictAndForwardPolicy(target, options.allow ?? ['127.0.0.0/8'], options.deny ?? []),
  });
  const setOnline = (online: boolean) =>
    online
      ? view.putAgentEndpoint(target, `tcp://127.0.0.1:${upstreamPort}`)
      : view.removeAgentEndpoint(target);
  setOnline(options.online ?? true);
  const edge = await startEdge(view);
  await edge.ready();
  return { port: edge.listening()[0]!.port, view, target, setOnline, close: () => edge.close() };
}
