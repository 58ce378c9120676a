// A sandbox account of one customer site whose devices each publish SSH (an agent endpoint on
// `<device>.<domain>.internal:22` whose upstream is a closed port, behind a cloud endpoint whose metadata names the
// site and the device), served to a harness through SITEHOP_API_KEY: the set-up of the UI specs that need exact
// site and device names (long ones, offline agents, ngrok going away).
import { test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../src/sandbox/index';
import { exportServicesEnv } from '../src/test-support/test-env';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** One site, its agent session `ts_<domain>` online, one SSH service per device. */
export function oneSiteFleet(site: string, devices: readonly string[], domain: string): SandboxStateFile {
  const session = `ts_${domain}`;
  return {
    tunnel_sessions: [{ id: session, metadata: '{}' }],
    endpoints: devices.flatMap((name) => {
      const internal = `tcp://${slug(name)}.${domain}.internal:22`;
      return [
        {
          id: `ep_a_${slug(name)}`,
          type: 'agent',
          url: internal,
          upstream_url: 'tcp://127.0.0.1:9',
          bindings: ['internal'],
          tunnel_session: { id: session, uri: '' },
        },
        {
          id: `ep_c_${slug(name)}`,
          type: 'cloud',
          url: 'tcp://127.0.0.1:0',
          bindings: ['public'],
          metadata: JSON.stringify({ site, device: name, protocol: 'ssh', username: 'tech' }),
          traffic_policy: JSON.stringify({
            on_tcp_connect: [{ actions: [{ type: 'forward-internal', config: { url: internal } }] }],
          }),
        },
      ];
    }),
  } as unknown as SandboxStateFile;
}

export interface SiteHarness {
  harness(): HarnessProcess;
  sandbox(): RunningSandbox;
  /** Takes ngrok away (the sandbox stops; the spec's other tests must not need it afterwards). */
  closeSandbox(): Promise<void>;
}

/** The sandbox serving `fleet` and a harness on its account, for the calling spec file (beforeAll / afterAll). */
export function useSiteHarness(name: string, fleet: () => SandboxStateFile): SiteHarness {
  let harness: HarnessProcess | undefined;
  let sandbox: RunningSandbox | undefined;
  let closed = false;
  test.beforeAll(async () => {
    exportServicesEnv();
    sandbox = await startSandbox({ state: fleet() });
    harness = await startHarnessProcess({
      SITEHOP_API_KEY: sandbox.apiKey,
      SITEHOP_API_URL: sandbox.apiUrl,
      SITEHOP_DEMO: '0',
      SITEHOP_KEYCHAIN_SERVICE: `sitehop-e2e-${name}-${randomBytes(4).toString('hex')}`,
    });
  });
  test.afterAll(async () => {
    await harness?.stop();
    if (!closed) await sandbox?.close();
  });
  return {
    harness: () => harness!,
    sandbox: () => sandbox!,
    closeSandbox: async () => {
      closed = true;
      await sandbox!.close();
    },
  };
}
