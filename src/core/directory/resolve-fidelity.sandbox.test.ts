// Issue 11 through the real sandbox ngrok API, the real client and sync source: the hand-written account of
// testing/fidelity-account.ts must give the hand-written rows of testing/fidelity-expected.ts, and what offline
// agents can no longer say is kept from the last sync (remembered kind, offline agent-bound service).
import { afterEach, describe, expect, it } from 'vitest';
import { detailedRows } from '../../cli/commands/devices';
import type { DirectorySnapshot, Site } from '../../shared/directory-types';
import { startSandbox, type RunningSandbox, type SandboxStateFile } from '../../sandbox/index';
import { createNgrokSyncSource } from './sync-source';
import { fidelityState } from './testing/fidelity-account';
import { FIDELITY_EXPECTED } from './testing/fidelity-expected';
import { sandboxSyncRequest } from './testing/sync-request';

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function sandbox(): Promise<RunningSandbox> {
  const sb = await startSandbox({
    state: fidelityState({ edge: 'fake' }) as SandboxStateFile,
    edge: false,
    rateLimit: false,
  });
  running.push(sb);
  return sb;
}

async function sync(sb: RunningSandbox, previousSites?: Site[]): Promise<Site[]> {
  const source = createNgrokSyncSource();
  const result = await source(sandboxSyncRequest(sb, 'ws_fidelity', undefined, previousSites));
  expect(result.counts).toMatchObject({ ip_policies: 1, ip_policy_rules: 3 });
  return result.sites;
}

const rows = (sites: Site[]) => detailedRows({ sites } as DirectorySnapshot);

describe('issue 11 configurations through the sandbox API', () => {
  it('resolve to the hand-written rows', async () => {
    const sb = await sandbox();
    expect(rows(await sync(sb))).toEqual(FIDELITY_EXPECTED);
  });

  it("while the clinic's agent is offline: the agent-bound service stays (offline), kinds stay, ids stay", async () => {
    const sb = await sandbox();
    const before = await sync(sb);
    expect(sb.store.setAgentOnline('ts_clinic', false)).toBe(true);
    const after = rows(await sync(sb, before));
    const reception = after.find((r) => r.deviceName === 'Reception');
    expect(reception).toMatchObject({
      deviceId: 'clinic-one/reception',
      kind: 'rdp',
      online: false,
      offlineReason: 'agent_offline',
      details: { agentBound: true, kindFrom: 'remembered' },
    });
    const pc1 = after.find((r) => r.deviceName === 'pc1');
    expect(pc1).toMatchObject({ kind: 'rdp', online: false, details: { kindFrom: 'remembered' } });
    const patientDb = after.find((r) => r.deviceName === 'patient-db');
    expect(patientDb).toMatchObject({ kind: 'tcp', online: false, offlineReason: 'agent_offline' });
    // Every service id the technician had is still there.
    const ids = (list: typeof after) => list.map((r) => `${r.deviceId}/${r.kind}`).sort();
    expect(ids(after)).toEqual(ids(rows(before)));
    // Without the last sync the agent-bound service is gone and the PostgreSQL box looks like a web server.
    const cold = rows(await sync(sb));
    expect(cold.find((r) => r.deviceName === 'Reception')).toBeUndefined();
    expect(cold.find((r) => r.deviceName === 'patient-db')?.kind).toBe('web');
  });
});
