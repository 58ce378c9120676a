import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { SandboxStore } from '../../sandbox/state/store';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../ngrok/types';
import type { Site } from '../../shared/directory-types';
import { createDirectoryCache } from './cache';

let home: string;
const logs: string[] = [];
const cache = () =>
  createDirectoryCache({ home, now: () => new Date('2026-11-23T10:00:00Z'), log: (l) => logs.push(l) });

const site: Site = {
  id: 'clinic1',
  name: 'Clinic 1',
  online: true,
  agentLastSeenAt: '2026-11-23T09:00:00Z',
  devices: [
    {
      id: 'clinic1/frontdesk',
      siteId: 'clinic1',
      name: 'frontdesk',
      online: true,
      services: [
        {
          id: 'clinic1/frontdesk/rdp',
          deviceId: 'clinic1/frontdesk',
          kind: 'rdp',
          host: '1.tcp.ngrok.io',
          port: 21234,
          target: 'tcp://frontdesk.clinic1.internal:3389',
          online: true,
          allow: ['203.0.113.0/24'],
          deny: [],
          username: null,
          problem: null,
          offlineReason: null,
        },
      ],
    },
  ],
};

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-cache-'));
  logs.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('directory cache', () => {
  it('round-trips a directory and removes it', () => {
    const c = cache();
    expect(c.load('ws_1')).toBeNull();
    c.save({
      workspaceId: 'ws_1',
      syncedAt: '2026-11-23T09:00:00.000Z',
      sites: [site],
      counts: { endpoints: 3 },
    });
    expect(createDirectoryCache({ home }).load('ws_1')).toEqual({
      version: 1,
      workspaceId: 'ws_1',
      syncedAt: '2026-11-23T09:00:00.000Z',
      sites: [site],
      counts: { endpoints: 3 },
    });
    expect(readdirSync(path.join(home, 'cache')).sort()).toEqual(['ws_1.head.json', 'ws_1.json']);
    c.remove('ws_1');
    expect(c.load('ws_1')).toBeNull();
  });

  it.each([
    ['truncated JSON', '{"version":1,"workspaceId":"ws_1","sites":[{"id"'],
    [
      'wrong shape',
      JSON.stringify({ version: 1, workspaceId: 'ws_1', syncedAt: 'x', sites: [{ id: 3 }], counts: {} }),
    ],
    [
      'another workspace',
      JSON.stringify({ version: 1, workspaceId: 'ws_2', syncedAt: 'x', sites: [], counts: {} }),
    ],
    ['empty file', ''],
  ])('sets a corrupt file aside (%s) and reports no cache', (_label, content) => {
    const c = cache();
    c.save({ workspaceId: 'ws_1', syncedAt: 'x', sites: [], counts: {} });
    writeFileSync(path.join(home, 'cache', 'ws_1.json'), content);
    expect(c.load('ws_1')).toBeNull();
    expect(readdirSync(path.join(home, 'cache'))).toEqual(['ws_1.json.corrupt-2026-11-23T10-00-00-000Z']);
    expect(logs[0]).toMatch(/damaged/);
    c.save({ workspaceId: 'ws_1', syncedAt: 'y', sites: [], counts: {} });
    expect(c.load('ws_1')?.syncedAt).toBe('y');
  });

  it('refuses ids that would escape the cache folder', () => {
    expect(() => cache().load('../settings')).toThrow(/unsafe/);
  });
});

describe('policy plans kept with the account (resolve-plan-store.ts)', () => {
  const objects = (): AccountObjects => {
    const store = new SandboxStore(
      generateFleet({ sites: 8, devices: 80, seed: 4, edgeHost: '1.tcp.ngrok.io' }),
    );
    return Object.fromEntries(
      ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)]),
    ) as unknown as AccountObjects;
  };
  /** A new process: the cache and the resolver with empty memos. */
  const processModules = async () => {
    vi.resetModules();
    const { createDirectoryCache: create } = await import('./cache');
    return {
      cache: create({ home, now: () => new Date('2026-11-23T10:00:00Z'), log: (l) => logs.push(l) }),
      ...(await import('./resolve')),
      ...(await import('./resolve-policy')),
    };
  };
  const plansFile = (): string => path.join(home, 'account-cache', 'ws_1.plans');
  const account = (o: AccountObjects) => ({
    fullSyncedAt: '2026-11-23T09:00:00.000Z',
    watermark: null,
    objects: o,
  });

  it('are written beside the kept objects and read back into a new process before its first resolve', async () => {
    const o = objects();
    const policy = o.endpoints.find((e) => typeof e.traffic_policy === 'string')?.traffic_policy as string;
    const first = await processModules();
    const written = first.resolveDirectory(structuredClone(o));
    first.cache.saveAccount?.('ws_1', account(o));
    expect(readdirSync(path.join(home, 'account-cache')).sort()).toEqual(['ws_1.json', 'ws_1.plans']);

    const next = await processModules();
    expect(next.knownPlans(policy)).toEqual([]);
    const kept = next.cache.loadAccount?.('ws_1');
    expect(kept?.objects.endpoints.length).toBe(o.endpoints.length);
    expect(next.knownPlans(policy).length).toBeGreaterThan(0);
    expect(next.resolveDirectory(kept!.objects)).toEqual(written);

    // A full sync's new listing with the same policies is seeded too (seedPlans, before its resolve).
    const third = await processModules();
    third.cache.seedPlans?.('ws_1', structuredClone(o));
    expect(third.knownPlans(policy).length).toBeGreaterThan(0);
    expect(logs).toEqual([]);

    first.cache.remove('ws_1');
    expect(existsSync(plansFile())).toBe(false);
  });

  it('a damaged store is removed and not used: the kept objects still load, and resolve as a fresh process does', async () => {
    const o = objects();
    const policy = o.endpoints.find((e) => typeof e.traffic_policy === 'string')?.traffic_policy as string;
    const first = await processModules();
    const written = first.resolveDirectory(structuredClone(o));
    first.cache.saveAccount?.('ws_1', account(o));
    writeFileSync(plansFile(), '{"store":1,"planner":1,"checksum":"x"}\n[]');

    const next = await processModules();
    const kept = next.cache.loadAccount?.('ws_1');
    expect(kept).not.toBeNull();
    expect(next.knownPlans(policy)).toEqual([]);
    expect(existsSync(plansFile())).toBe(false);
    expect(logs.join('\n')).toMatch(/policy plans of workspace ws_1 were not used \(checksum mismatch\)/);
    expect(next.resolveDirectory(kept!.objects)).toEqual(written);
  });
});
