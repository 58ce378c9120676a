// Page of bench/ssh-receive-probe.ts: SiteHop's own harness client (worker socket, wsTransport, contract client)
// receiving 'ssh.data' events from a harness whose core is a stand-in that only emits and counts acks, so the probe
// can set what our receive code costs against a bare socket in the same run.
import { benchPageClient } from './bench-page-client';

const client = benchPageClient();

async function probeHarness(total: number): Promise<{ ms: number; bytes: number; messages: number }> {
  const started = performance.now();
  let bytes = 0;
  let messages = 0;
  await new Promise<void>((resolve) => {
    const off = client.on('ssh.data', (d) => {
      if (d.sessionId !== 'probe') return;
      bytes += d.data.byteLength;
      messages++;
      void client.call('ssh.ack', { sessionId: 'probe', bytes: d.data.byteLength });
      if (bytes >= total) {
        off();
        resolve();
      }
    });
    void client.call('ssh.input', { sessionId: 'probe', data: String(total) });
  });
  return { ms: performance.now() - started, bytes, messages };
}

Object.assign(window, { probeHarness });
const offStatus = client.onStatus((up) => {
  if (!up) return;
  document.title = 'ready';
  queueMicrotask(() => offStatus());
});
