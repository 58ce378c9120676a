// Settings files written before device records were scoped per workspace (favorites, recents and devicePrefs keyed
// by the device id alone) are moved once under their workspaces (legacy-owners.ts), with the old file kept.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfBackend } from './settings-backend';
import { openTechnicianSettings, PRE_SCOPE_FILE } from './technician-settings';

let home: string;
const logs: string[] = [];
const open = () =>
  openTechnicianSettings({
    home,
    open: openConfBackend,
    now: () => new Date('2026-11-30T10:00:00Z'),
    log: (l) => logs.push(l),
  });

const A = {
  id: 'ws_a',
  name: 'Clinic A',
  apiUrl: 'https://api.ngrok.com',
  createdAt: '2026-01-01T00:00:00Z',
};
const B = {
  id: 'ws_b',
  name: 'Clinic B',
  apiUrl: 'https://api.ngrok.com',
  createdAt: '2026-06-01T00:00:00Z',
};

/** A cached directory as cache.ts writes it (only what the migration reads matters). */
function cache(workspaceId: string, sites: Record<string, string[]>): void {
  mkdirSync(path.join(home, 'cache'), { recursive: true });
  const body = {
    version: 1,
    workspaceId,
    syncedAt: '2026-11-29T10:00:00Z',
    counts: {},
    sites: Object.entries(sites).map(([site, devices]) => ({
      id: site,
      name: site,
      devices: devices.map((d) => ({ id: `${site}/${d}`, name: d, services: [] })),
    })),
  };
  writeFileSync(path.join(home, 'cache', `${workspaceId}.json`), JSON.stringify(body));
}

/** The settings file of a version before the scope. */
function legacy(extra: Record<string, unknown>): string {
  const text = JSON.stringify({ ui: { theme: 'dark' }, ...extra }, null, '\t');
  writeFileSync(path.join(home, 'settings.json'), text);
  return text;
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-migrate-'));
  logs.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('settings written before the per-workspace scope', () => {
  it('with one workspace, gives it everything but what only the demo lists, once, keeping the old file', () => {
    cache('demo', { 'demo-clinic': ['demo-ssh'] });
    cache(A.id, { 'vet-1': ['xray'] });
    const before = legacy({
      workspaces: [A],
      favorites: ['vet-1/xray', 'gone/dev', 'demo-clinic/demo-ssh'],
      recents: ['gone/dev', 'vet-1/xray'],
      devicePrefs: {
        'vet-1/xray': { sshUsername: 'alice', note: 'A: door code 1234' },
        'demo-clinic/demo-ssh': { sshUsername: 'demo' },
      },
    });

    const s = open();
    expect(s.favorites(A.id)).toEqual(['vet-1/xray', 'gone/dev']);
    expect(s.favorites('demo')).toEqual(['demo-clinic/demo-ssh']);
    expect(s.recents(A.id)).toEqual(['gone/dev', 'vet-1/xray']);
    expect(s.devicePrefs(A.id, 'vet-1/xray')).toEqual({ sshUsername: 'alice', note: 'A: door code 1234' });
    expect(s.devicePrefs('demo', 'demo-clinic/demo-ssh')).toEqual({ sshUsername: 'demo' });
    expect(s.uiPrefs().theme).toBe('dark');
    expect(s.workspaces()).toEqual([A]);

    const file = JSON.parse(readFileSync(s.file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(file)).not.toContain('favorites');
    expect(Object.keys(file)).not.toContain('devicePrefs');
    expect(readFileSync(path.join(home, PRE_SCOPE_FILE), 'utf8')).toBe(before);
    expect(logs.filter((l) => l.includes('under their workspaces'))).toHaveLength(1);

    // Once: a second open finds nothing to move.
    open();
    expect(logs.filter((l) => l.includes('under their workspaces'))).toHaveLength(1);
  });

  it('with several workspaces, follows the cached directories: one lister takes it, the oldest of several, none: kept aside', () => {
    cache(A.id, { 'vet-1': ['xray'], 'a-only': ['dev'] });
    cache(B.id, { 'vet-1': ['xray'], 'b-only': ['dev'] });
    legacy({
      workspaces: [B, A],
      favorites: ['vet-1', 'a-only/dev', 'b-only/dev', 'gone/dev'],
      recents: ['b-only/dev', 'vet-1/xray', 'a-only/dev'],
      devicePrefs: {
        'vet-1/xray': { note: 'shared name: to the oldest' },
        'b-only/dev': { rdpUsername: 'Administrator' },
        'gone/dev': { note: 'nobody lists me' },
      },
    });

    const s = open();
    expect(s.favorites(A.id)).toEqual(['vet-1', 'a-only/dev']);
    expect(s.favorites(B.id)).toEqual(['b-only/dev']);
    expect(s.recents(A.id)).toEqual(['vet-1/xray', 'a-only/dev']);
    expect(s.recents(B.id)).toEqual(['b-only/dev']);
    expect(s.devicePrefs(A.id, 'vet-1/xray')).toEqual({ note: 'shared name: to the oldest' });
    expect(s.devicePrefs(B.id, 'vet-1/xray')).toEqual({});
    expect(s.devicePrefs(B.id, 'b-only/dev')).toEqual({ rdpUsername: 'Administrator' });
    expect(s.devicePrefs(A.id, 'gone/dev')).toEqual({});
    expect(s.devicePrefs(B.id, 'gone/dev')).toEqual({});
    // Never lost: kept in the file, shown nowhere.
    const file = JSON.parse(readFileSync(s.file, 'utf8')) as {
      unassignedDeviceRecords: { favorites: string[]; devicePrefs: Record<string, unknown> };
    };
    expect(file.unassignedDeviceRecords.favorites).toEqual(['gone/dev']);
    expect(file.unassignedDeviceRecords.devicePrefs['gone/dev']).toEqual({ note: 'nobody lists me' });
  });

  it('migrates an old-format backup when the settings file itself is damaged', () => {
    cache(A.id, { 'vet-1': ['xray'] });
    writeFileSync(
      path.join(home, 'settings.backup.json'),
      JSON.stringify({
        workspaces: [A],
        favorites: ['vet-1/xray'],
        devicePrefs: { 'vet-1/xray': { note: 'n' } },
      }),
    );
    writeFileSync(path.join(home, 'settings.json'), '{"favorites": [', 'utf8');
    const s = open();
    expect(s.workspaces()).toEqual([A]);
    expect(s.favorites(A.id)).toEqual(['vet-1/xray']);
    expect(s.devicePrefs(A.id, 'vet-1/xray')).toEqual({ note: 'n' });
  });

  it('takes a legacy field that is not valid in the settings file from the backup, as the earlier SiteHop read it', () => {
    cache(A.id, { 'vet-1': ['xray', 'door'] });
    const kept = {
      workspaces: [A],
      favorites: ['vet-1/xray'],
      devicePrefs: { 'vet-1/xray': { note: 'A: door code 1234' }, 'vet-1/door': { rdpUsername: 'front' } },
    };
    writeFileSync(path.join(home, 'settings.backup.json'), JSON.stringify(kept));
    // Damaged outside SiteHop, one field only: the earlier version showed the backup's notes and usernames.
    legacy({ ...kept, devicePrefs: { ...kept.devicePrefs, 'vet-1/door': { note: 'x'.repeat(4001) } } });
    const s = open();
    expect(s.devicePrefs(A.id, 'vet-1/xray')).toEqual({ note: 'A: door code 1234' });
    expect(s.devicePrefs(A.id, 'vet-1/door')).toEqual({ rdpUsername: 'front' });
    expect(s.favorites(A.id)).toEqual(['vet-1/xray']);
    // And so after the next open, when the backup has been rewritten from the migrated file.
    const again = open();
    expect(again.devicePrefs(A.id, 'vet-1/xray')).toEqual({ note: 'A: door code 1234' });
  });

  it('merges legacy fields an older SiteHop wrote again into the scoped records, scoped ones first', () => {
    legacy({
      workspaces: [A],
      deviceRecords: {
        [A.id]: { favorites: ['x/new'], recents: ['x/new'], devicePrefs: { 'x/d': { note: 'new' } } },
      },
      favorites: ['x/old'],
      recents: ['x/old'],
      devicePrefs: { 'x/d': { note: 'old', sshUsername: 'root' } },
    });
    const s = open();
    expect(s.favorites(A.id)).toEqual(['x/new', 'x/old']);
    expect(s.recents(A.id)).toEqual(['x/new', 'x/old']);
    expect(s.devicePrefs(A.id, 'x/d')).toEqual({ note: 'new', sshUsername: 'root' });
  });
});
