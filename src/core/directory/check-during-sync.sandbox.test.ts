// A connect check out while a sync runs and keeps its directory must not put the directory before it back: the
// check's answer is merged into the kept objects it started from, which the sync has since replaced. Real core and
// sandbox API; the check's one request is held (after the API answered it) until the sync has kept its directory.
import { afterEach, expect, it } from 'vitest';
import { openSandboxWorkspace } from './testing/sandbox-account';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('a connect check that was out while a sync kept its directory keeps that directory: the agent gone offline stays offline, last seen at the sync before', async () => {
  /** When set, the next request's answer is held until `release`. */
  let holdNext = false;
  let answered: () => void = () => undefined;
  const heldAnswer = new Promise<void>((resolve) => (answered = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const { sandbox, core, wsId } = await openSandboxWorkspace({
    defer: (cleanup) => cleanups.push(cleanup),
    sandbox: { generate: { sites: 3, devices: 8, seed: 55 } },
    core: {
      fetch: async (input, init) => {
        if (!holdNext) return fetch(input, init);
        holdNext = false;
        const res = await fetch(input, init);
        answered();
        await released;
        return res;
      },
    },
  });
  const admin = (method: string, p: string) =>
    fetch(`${sandbox.adminUrl}${p}`, { method, headers: { Authorization: `Bearer ${sandbox.apiKey}` } });
  const { agents } = (await (await admin('GET', '/agents')).json()) as {
    agents: { tunnel_session_id: string; label: string; online: boolean }[];
  };
  const agent = agents.find((a) => a.online)!;
  const directory = core.services.directory;
  const first = await directory.sync(wsId, { mode: 'full' });
  const site = first.sites.find((s) => s.name === agent.label)!;
  expect(site.online).toBe(true);
  const service = site.devices.flatMap((d) => d.services).find((s) => s.online)!;

  holdNext = true;
  const check = directory.checkService(wsId, service.id);
  await heldAnswer;
  expect((await admin('POST', `/agents/${agent.tunnel_session_id}/offline`)).status).toBe(200);
  await sandbox.settled();
  const synced = await directory.sync(wsId, { mode: 'full' });
  expect(synced.sites.find((s) => s.name === agent.label)).toMatchObject({
    online: false,
    agentLastSeenAt: first.syncedAt,
  });
  release();
  // The check answers from the directory as the sync left it.
  expect(await check).toMatchObject({ state: 'offline', checked: true, service: { id: service.id } });
  const now = directory.snapshot(wsId);
  expect(now.syncedAt).toBe(synced.syncedAt);
  expect(now.sites.find((s) => s.name === agent.label)).toMatchObject({
    online: false,
    agentLastSeenAt: first.syncedAt,
  });
});
