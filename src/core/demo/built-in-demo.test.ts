// withDemoLogin's scoping (pure wiring over an in-memory store; the real core and sandbox are in
// src/demo/start-demo.test.ts): the demo password answers only the demo workspace's own devices.
import { describe, expect, it } from 'vitest';
import { createDeviceCredentials } from '../secrets/device-credentials';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { DEMO_WORKSPACE_ID } from '../workspaces/workspace-service';
import { withDemoLogin } from './built-in-demo';

const login = { sshUsername: 'demo', sshPassword: 'this-run' };
const demoDevices = new Set(['vet-1/xray']);

describe('withDemoLogin', () => {
  it("answers the demo's own device in the demo workspace only, never a real workspace's device of the same id", async () => {
    const c = withDemoLogin(createDeviceCredentials(memorySecretStore()), (id) => demoDevices.has(id), login);
    expect(await c.get(DEMO_WORKSPACE_ID, 'vet-1/xray', 'ssh-password')).toBe('this-run');
    expect(await c.get('ws_customer', 'vet-1/xray', 'ssh-password')).toBeNull();
    expect(await c.get(DEMO_WORKSPACE_ID, 'vet-1/other', 'ssh-password')).toBeNull();
    expect(await c.get(DEMO_WORKSPACE_ID, 'vet-1/xray', 'rdp-password')).toBeNull();
    expect((await c.status(DEMO_WORKSPACE_ID, 'vet-1/xray'))['ssh-password']).toBe(true);
    expect((await c.status('ws_customer', 'vet-1/xray'))['ssh-password']).toBe(false);
  });

  it("stores nothing for a demo device, but does store a real workspace's password for the same id", async () => {
    const base = createDeviceCredentials(memorySecretStore());
    const c = withDemoLogin(base, (id) => demoDevices.has(id), login);
    await c.set(DEMO_WORKSPACE_ID, 'vet-1/xray', 'ssh-password', 'typed');
    expect(await base.get(DEMO_WORKSPACE_ID, 'vet-1/xray', 'ssh-password')).toBeNull();
    await c.set('ws_customer', 'vet-1/xray', 'ssh-password', 'customer-pw');
    expect(await c.get('ws_customer', 'vet-1/xray', 'ssh-password')).toBe('customer-pw');
    expect(await c.get(DEMO_WORKSPACE_ID, 'vet-1/xray', 'ssh-password')).toBe('this-run');
  });
});
