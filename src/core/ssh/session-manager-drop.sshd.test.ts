// A live SSH tab cut because the site's agent went offline says so (the edge closes the stream; before, the tab said
// only "closed by the device or the network" and the technician reconnected into the same wall). The real core
// (directory service, connect check, ngrok client) against the real sandbox (API, TCP edge, admin API) in front of
// the real test sshd, through a loopback proxy the tests cut to drop the line while the agent stays online. Counts
// the core's API requests: drops come in crowds and the API budget is the whole company's.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract';
import type { SshSessionInfo } from '../../shared/session-types';
import { generateFleet } from '../../sandbox/generate/fleet';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { createAppCore, type AppCore } from '../app-core';
import { envWorkspaceId } from '../workspaces/workspace-service';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import type { ServiceCheck } from '../directory/sync-service';
import { edgeTo } from './testing/edge-to';
import {
  managerFixture,
  SERVICE_ID,
  snapshotFor,
  waiter,
  WORKSPACE,
  type Waiter,
} from './testing/manager-fixture';
import { startProxy, type ControlledProxy } from './testing/tcp-proxy';

const GENERIC = 'The connection was closed by the device or the network.';
const AGENT_CUT =
  /ngrok no longer lists .+'s internal endpoint, so the site's agent went offline or stopped publishing it; that is what ended this session\. Check that the site's agent is running/;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const value = <T>(r: unknown): T => {
  const res = r as Result<T>;
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
};

interface Rig {
  sb: RunningSandbox;
  core: AppCore;
  wsId: string;
  /** With sameKeyFromEnv: the environment's workspace (SITEHOP_API_KEY), the same key as wsId's, synced too. */
  envWsId: string | null;
  proxy: ControlledProxy;
  /** The fleet's online SSH services (devices of one site, so one agent). */
  services: string[];
  /** Requests the core sent to the ngrok API (admin calls are not counted). */
  requests(): number;
  resetRequests(): void;
  /** The technician's network: off, every API request fails as an unreachable host does. */
  setApiReachable(on: boolean): void;
  states: SshSessionInfo[];
  /** directory.changed events so far (a connect check that got its answer sends one). */
  changes(): number;
  logs: string[];
  waitFor: Waiter['wait'];
  /** Opens a tab on the service and waits until it is connected (else only until it is opened). */
  open(serviceId: string, opts?: { connected?: boolean; workspaceId?: string }): Promise<string>;
  agentsOffline(): Promise<void>;
  agentsOnline(): Promise<void>;
  lastState(sessionId: string): SshSessionInfo | undefined;
}

async function rig(opts: { sameKeyFromEnv?: boolean } = {}): Promise<Rig> {
  exportServicesEnv();
  // sshd behind a proxy the test can cut: the line drops, the agent stays online.
  const proxy = await startProxy(Number(testEnv(TestEnvNames.sshdPort)));
  cleanups.push(() => proxy.close());
  const sb = await startSandbox({
    rateLimit: false,
    state: generateFleet({
      sites: 1,
      devices: 6,
      seed: 7,
      edgeHost: '127.0.0.1',
      sshUpstream: `tcp://127.0.0.1:${proxy.port}`,
      rdpUpstream: null,
    }),
  });
  cleanups.push(() => sb.close());
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-ssh-drop-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  let count = 0;
  let reachable = true;
  const logs: string[] = [];
  const core = createAppCore({
    transport: 'electron',
    home,
    demo: false,
    env: opts.sameKeyFromEnv ? { SITEHOP_API_KEY: sb.apiKey, SITEHOP_API_URL: sb.apiUrl } : {},
    heartbeatMs: 3_600_000,
    backgroundRefresh: false,
    secretStore: memorySecretStore(),
    verifyKey: async () => undefined,
    log: (line) => logs.push(line),
    ssh: { keyPaths: [] },
    fetch: (input, init) => {
      count += 1;
      return reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'));
    },
  });
  cleanups.push(() => core.close());
  const ws = await core.services.workspaces.add({ name: 'Acme', apiUrl: sb.apiUrl, apiKey: sb.apiKey });
  const snap = await core.services.directory.sync(ws.id);
  const envWsId = opts.sameKeyFromEnv ? envWorkspaceId(sb.apiUrl, sb.apiKey) : null;
  if (envWsId) await core.services.directory.sync(envWsId);
  const services = snap.sites
    .flatMap((s) => s.devices)
    .flatMap((d) => d.services)
    .filter((s) => s.kind === 'ssh' && s.online)
    .map((s) => s.id);
  expect(services.length).toBeGreaterThanOrEqual(2);

  const states: SshSessionInfo[] = [];
  let changes = 0;
  const { poke, wait: waitFor } = waiter(() => states.slice(-3));
  cleanups.push(
    core.hub.subscribe((event, payload) => {
      if (event === 'ssh.state') states.push(payload as SshSessionInfo);
      if (event === 'directory.changed') changes += 1;
      if (event === 'ssh.prompt') {
        const p = payload as { kind: string; sessionId: string; promptId: string };
        const answer =
          p.kind === 'hostKey'
            ? { accept: true }
            : p.kind === 'password'
              ? { accept: true, answers: [testEnv(TestEnvNames.sshPassword)] }
              : { accept: false };
        void core.dispatch('ssh.answer', { sessionId: p.sessionId, promptId: p.promptId, ...answer });
      }
      poke();
    }),
  );
  const lastState = (id: string) => [...states].reverse().find((s) => s.sessionId === id);
  const admin = (method: string, p: string) =>
    fetch(`${sb.adminUrl}${p}`, { method, headers: { Authorization: `Bearer ${sb.apiKey}` } });
  const agentsTo = async (online: boolean) => {
    const { agents } = (await (await admin('GET', '/agents')).json()) as {
      agents: Array<{ tunnel_session_id: string; online: boolean }>;
    };
    for (const a of agents.filter((x) => x.online !== online))
      await admin('POST', `/agents/${a.tunnel_session_id}/${online ? 'online' : 'offline'}`);
    await sb.settled();
  };

  return {
    sb,
    core,
    wsId: ws.id,
    envWsId,
    proxy,
    services,
    requests: () => count,
    resetRequests: () => {
      count = 0;
    },
    setApiReachable: (on) => {
      reachable = on;
    },
    states,
    changes: () => changes,
    logs,
    waitFor,
    lastState,
    open: async (serviceId, opts = {}) => {
      const opened = value<SshSessionInfo>(
        await core.dispatch('ssh.open', {
          workspaceId: opts.workspaceId ?? ws.id,
          serviceId,
          username: testEnv(TestEnvNames.sshUser),
          cols: 80,
          rows: 24,
        }),
      );
      if (opts.connected === false) return opened.sessionId;
      await waitFor(`${opened.sessionId} connected`, () =>
        lastState(opened.sessionId)?.state === 'connected' ? true : undefined,
      );
      return opened.sessionId;
    },
    agentsOffline: () => agentsTo(false),
    agentsOnline: () => agentsTo(true),
  };
}

/** The first 'disconnected' state of a session: what the tab said at once, before any check answered. */
const firstDrop = (r: Rig, id: string): Promise<SshSessionInfo> =>
  r.waitFor(`${id} disconnected`, () =>
    r.states.find((s) => s.sessionId === id && s.state === 'disconnected'),
  );

/** A few turns of the loop and a little time, for a negative: nothing more is coming. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 1_000));

describe('a live session cut under it', () => {
  it("names the site's agent offline when the edge cut the session because the agent went offline (one request)", async () => {
    const r = await rig();
    const id = await r.open(r.services[0]!);
    r.resetRequests();
    await r.agentsOffline();
    // The tab says it is disconnected at once, with the generic sentence; the check's answer refines it.
    expect((await firstDrop(r, id)).message).toBe(GENERIC);
    const named = await r.waitFor('the agent named', () => {
      const s = r.lastState(id);
      return s?.state === 'disconnected' && AGENT_CUT.test(s.message ?? '') ? s : undefined;
    });
    expect(named.message).not.toContain('SiteHop did not dial');
    expect(r.requests()).toBe(1);
    // The directory learnt it too: the service is offline there now.
    const service = r.core.services.directory
      .snapshot(r.wsId)
      .sites.flatMap((s) => s.devices)
      .flatMap((d) => d.services)
      .find((s) => s.id === r.services[0]);
    expect(service?.online).toBe(false);
  });

  it('keeps the generic message when the line dropped but the agent is still online', async () => {
    const r = await rig();
    const id = await r.open(r.services[0]!);
    r.resetRequests();
    const changesBefore = r.changes();
    r.proxy.cut();
    expect((await firstDrop(r, id)).message).toBe(GENERIC);
    // The check ran (it keeps its answer: directory.changed) and found the service online.
    await r.waitFor('the check', () => (r.changes() > changesBefore ? true : undefined));
    await quiet();
    expect(r.requests()).toBe(1);
    expect(r.lastState(id)).toMatchObject({ state: 'disconnected', message: GENERIC });
  });

  it('two tabs of one service cut at once by the agent going offline: one request, both named', async () => {
    const r = await rig();
    const a = await r.open(r.services[0]!);
    const b = await r.open(r.services[0]!);
    r.resetRequests();
    await r.agentsOffline();
    for (const id of [a, b])
      await r.waitFor(`${id} named`, () => {
        const s = r.lastState(id);
        return s?.state === 'disconnected' && AGENT_CUT.test(s.message ?? '') ? s : undefined;
      });
    await quiet();
    expect(r.requests()).toBe(1);
  });

  it("the technician's network drops every tab: one failed request, then none; none at all once a sync failed", async () => {
    const r = await rig();
    const tabs = [await r.open(r.services[0]!), await r.open(r.services[1]!)];
    r.resetRequests();
    r.setApiReachable(false);
    r.proxy.cut();
    for (const id of tabs) expect((await firstDrop(r, id)).message).toBe(GENERIC);
    await r.waitFor('the failed check', () =>
      r.logs.some((l) => l.includes('connect check of')) ? true : undefined,
    );
    await quiet();
    // One service's check found the API unreachable; the other's was not sent.
    expect(r.requests()).toBe(1);
    for (const id of tabs) expect(r.lastState(id)?.message).toBe(GENERIC);
  });

  it("two workspaces on one API key (the environment's and a stored one) spend one failed request between them", async () => {
    const r = await rig({ sameKeyFromEnv: true });
    const tabs = [await r.open(r.services[0]!), await r.open(r.services[0]!, { workspaceId: r.envWsId! })];
    r.resetRequests();
    r.setApiReachable(false);
    r.proxy.cut();
    for (const id of tabs) expect((await firstDrop(r, id)).message).toBe(GENERIC);
    await r.waitFor('the failed check', () =>
      r.logs.some((l) => l.includes('connect check of')) ? true : undefined,
    );
    await quiet();
    expect(r.requests()).toBe(1);
    for (const id of tabs) expect(r.lastState(id)?.message).toBe(GENERIC);
  });

  it('sends no check while the last sync failed (the API is known unreachable)', async () => {
    const r = await rig();
    const id = await r.open(r.services[0]!);
    r.setApiReachable(false);
    await expect(r.core.services.directory.sync(r.wsId, { mode: 'status' })).rejects.toThrow();
    r.resetRequests();
    await r.agentsOffline();
    expect((await firstDrop(r, id)).message).toBe(GENERIC);
    await quiet();
    // Nothing at all: no check, and the failed sync sent nothing after it had failed.
    expect(r.requests()).toBe(0);
    expect(r.lastState(id)?.message).toBe(GENERIC);
  });
});

/** The last state of a session once it is 'failed' with a message that matches. */
const failedWith = (r: Rig, id: string, message: RegExp): Promise<SshSessionInfo> =>
  r.waitFor(`${id} failed with ${message}`, () => {
    const s = r.lastState(id);
    return s?.state === 'failed' && message.test(s.message ?? '') ? s : undefined;
  });

const BEFORE_DIAL = /ngrok no longer lists .+'s internal endpoint, .+\. SiteHop did not dial\./;

describe('a Reconnect right after a drop', () => {
  const reconnect = async (r: Rig, id: string) =>
    value<SshSessionInfo>(await r.core.dispatch('ssh.reconnect', { sessionId: id }));

  it("takes the drop's check in flight: one request for both, and it says so before dialling", async () => {
    const r = await rig();
    const id = await r.open(r.services[0]!);
    r.resetRequests();
    await r.agentsOffline();
    await firstDrop(r, id);
    await reconnect(r, id);
    await failedWith(r, id, BEFORE_DIAL);
    await quiet();
    expect(r.requests()).toBe(1);
  });

  it('asks again once the tab named the agent offline: each Reconnect is a request, and one gets in when it is back', async () => {
    const r = await rig();
    const id = await r.open(r.services[0]!);
    r.resetRequests();
    await r.agentsOffline();
    await r.waitFor('the agent named', () => {
      const s = r.lastState(id);
      return s?.state === 'disconnected' && AGENT_CUT.test(s.message ?? '') ? s : undefined;
    });
    const before = r.states.length;
    await reconnect(r, id);
    await r.waitFor('the reconnect told', () =>
      r.states.slice(before).find((s) => s.sessionId === id && s.state === 'failed'),
    );
    expect(r.lastState(id)?.message).toMatch(BEFORE_DIAL);
    expect(r.requests()).toBe(2);
    // The agent restarted at the site within the drop answer's 15 s: the next click asks and gets in.
    await r.agentsOnline();
    await reconnect(r, id);
    await r.waitFor('connected again', () => (r.lastState(id)?.state === 'connected' ? true : undefined));
    expect(r.requests()).toBe(3);
  });
});

describe('a login cut under it', () => {
  it("names the site's agent offline when it went offline between the connect check and the banner", async () => {
    const r = await rig();
    // The banner never comes back through the frozen line: the login waits there while the agent goes offline.
    r.proxy.freeze();
    const id = await r.open(r.services[0]!, { connected: false });
    await expect.poll(() => r.proxy.accepted(), { timeout: 15_000 }).toBeGreaterThan(0);
    r.resetRequests();
    await r.agentsOffline();
    // Shown at once with the dial's own sentence (the edge closed before the device answered), then refined.
    const first = await r.waitFor(`${id} failed`, () =>
      r.states.find((s) => s.sessionId === id && s.state === 'failed'),
    );
    expect(first.message).toMatch(/^The endpoint refused the connection/);
    const named = await failedWith(r, id, /that is what closed the connection before the login finished\./);
    expect(named.message).toMatch(/ngrok no longer lists .+'s internal endpoint/);
    expect(named.message).not.toContain('SiteHop did not dial');
    await quiet();
    expect(r.requests()).toBe(1);
  });

  it("keeps the dial's own sentence when the line dropped during the login but the agent is still online", async () => {
    const r = await rig();
    r.proxy.freeze();
    const id = await r.open(r.services[0]!, { connected: false });
    await expect.poll(() => r.proxy.accepted(), { timeout: 15_000 }).toBeGreaterThan(0);
    r.resetRequests();
    const changesBefore = r.changes();
    r.proxy.cut();
    const first = await r.waitFor(`${id} failed`, () =>
      r.states.find((s) => s.sessionId === id && s.state === 'failed'),
    );
    // The check ran (its answer updates the directory) and found the service online: nothing to add.
    await r.waitFor('the check', () => (r.changes() > changesBefore ? true : undefined));
    await quiet();
    expect(r.requests()).toBe(1);
    expect(r.lastState(id)).toEqual(first);
  });
});

describe("a drop's late answer", () => {
  /**
   * A session on the fixture's one device through the sandbox edge; the connect check answers the dial at once and
   * holds the drop's (the second call) until the test releases it with the agent offline.
   */
  async function heldDrop() {
    const edge = await edgeTo(Number(testEnv(TestEnvNames.sshdPort)));
    cleanups.push(() => edge.close());
    let calls = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let snapshot = snapshotFor(edge.port);
    const service = () => snapshot.sites[0]!.devices[0]!.services[0]!;
    const f = managerFixture(
      edge.port,
      (p) =>
        p.kind === 'hostKey'
          ? { accept: true }
          : p.kind === 'password'
            ? { accept: true, answers: [testEnv(TestEnvNames.sshPassword)] }
            : null,
      {
        directory: {
          snapshot: () => snapshot,
          health: () => ({ inFlight: false, failures: 0, lastAttemptAt: null, syncedAt: null }),
          checkService: async (): Promise<ServiceCheck> => {
            if (++calls === 2) await released;
            return { state: service().online ? 'online' : 'offline', checked: true, service: service() };
          },
        },
      },
    );
    cleanups.push(() => f.manager.closeAll());
    const id = f.manager.open({
      workspaceId: WORKSPACE,
      serviceId: SERVICE_ID,
      username: testEnv(TestEnvNames.sshUser),
      cols: 80,
      rows: 24,
    }).sessionId;
    f.manager.attach(id, 80, 24);
    await f.waitState(id, 'connected');
    edge.setOnline(false);
    expect((await f.waitState(id, 'disconnected')).message).toBe(GENERIC);
    await expect.poll(() => calls).toBe(2);
    const agentOffline = () => {
      snapshot = snapshotFor(edge.port, { online: false, offlineReason: 'agent_offline' });
      release();
    };
    return { f, id, agentOffline, calls: () => calls };
  }

  it('never replaces the state of a reconnect made meanwhile', async () => {
    const { f, id, agentOffline, calls } = await heldDrop();
    f.manager.reconnect(id);
    agentOffline();
    // The reconnect waits for the drop's check (in flight) and reads the agent offline: it says so before dialling,
    // and the drop's own use of that answer changes nothing after it.
    const failed = await f.waitState(id, 'failed');
    expect(failed.message).toContain('SiteHop did not dial');
    await quiet();
    expect(f.states.filter((s) => s.sessionId === id).at(-1)).toEqual(failed);
    // The reconnect took the drop's check, in flight, for its own: the dial's and the drop's, no third.
    expect(calls()).toBe(2);
  });

  it('never speaks for a tab closed meanwhile', async () => {
    const { f, id, agentOffline } = await heldDrop();
    f.manager.close(id);
    agentOffline();
    await quiet();
    expect(f.states.filter((s) => s.sessionId === id).at(-1)?.state).toBe('closed');
    expect(f.output(id)).not.toContain('that is what ended this session');
  });

  it('names the agent offline when nothing happened meanwhile, in the tab and in the terminal', async () => {
    const { f, id, agentOffline } = await heldDrop();
    agentOffline();
    const named = await f.waitOutput(id, /that is what ended this session/);
    expect(named).toContain("The site's ngrok agent is offline, so nothing can reach this device");
    expect(f.states.filter((s) => s.sessionId === id).at(-1)).toMatchObject({
      state: 'disconnected',
      message: expect.stringContaining("The site's ngrok agent is offline") as unknown,
    });
  });
});
