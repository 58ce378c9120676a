// The built-in demo: a first run with no ngrok account opens on a sandbox fleet (the local ngrok stand-in with
// its TCP edge and an SSH demo device), started in-process on first use and closed with the core.
import type { DemoProvider } from '../workspaces/workspace-service';

export interface ClosableDemo extends DemoProvider {
  close(): Promise<void>;
}

export const DEMO_FLEET = { sites: 3, devices: 8, seed: 1 } as const;

export function createDemoProvider(log: (line: string) => void): ClosableDemo {
  let running: Promise<{ apiUrl: string; apiKey: string; close(): Promise<void> }> | null = null;
  const start = () => {
    // Loaded lazily: the sandbox (and its SSH server) costs nothing until the demo is actually used.
    running ??= import('../../sandbox/index').then(({ startSandbox }) =>
      startSandbox({ generate: { ...DEMO_FLEET }, log: (line) => log(`[demo] ${line}`) }),
    );
    running.catch(() => {
      running = null;
    });
    return running;
  };
  return {
    name: 'Demo (built-in sandbox)',
    apiUrl: 'local sandbox',
    credentials: async () => {
      const sandbox = await start();
      return { apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey };
    },
    close: async () => {
      const sandbox = await running?.catch(() => null);
      await sandbox?.close();
      running = null;
    },
  };
}
