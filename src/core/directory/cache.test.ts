import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
