import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfBackend } from './settings-backend';
import { openTechnicianSettings } from './technician-settings';

const WS = 'ws_1';
let home: string;
const logs: string[] = [];
const open = () =>
  openTechnicianSettings({
    home,
    open: openConfBackend,
    now: () => new Date('2026-11-23T10:00:00Z'),
    log: (l) => logs.push(l),
  });

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-settings-'));
  logs.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('technician settings (conf)', () => {
  it('keeps the sync intervals (defaults: status every minute, full every hour, 4.5 % of the budget) and refuses nonsense', () => {
    const s = open();
    expect(s.syncIntervals()).toEqual({
      statusVisibleMs: 60_000,
      statusHiddenMs: 300_000,
      statusIdleMs: 900_000,
      fullMs: 3_600_000,
      budgetShare: 0.045,
    });
    s.setSyncIntervals({ statusVisibleMs: 120_000 });
    expect(() => s.setSyncIntervals({ statusVisibleMs: 10 })).toThrow();
    expect(open().syncIntervals()).toMatchObject({ statusVisibleMs: 120_000, fullMs: 3_600_000 });
  });

  it('keeps favorites, recents and device preferences across a reopen', () => {
    const s = open();
    s.setFavorite(WS, 'dev-a', true);
    s.setFavorite(WS, 'dev.b', true);
    s.setFavorite(WS, 'dev-a', false);
    s.addRecent(WS, 'dev-a');
    s.addRecent(WS, 'dev.b');
    s.addRecent(WS, 'dev-a');
    s.setDevicePrefs(WS, 'dev.b', { sshUsername: 'tech' });
    s.setDevicePrefs(WS, 'dev.b', { rdpUsername: 'Administrator' });

    const again = open();
    expect(again.favorites(WS)).toEqual(['dev.b']);
    expect(again.recents(WS)).toEqual(['dev-a', 'dev.b']);
    expect(again.devicePrefs(WS, 'dev.b')).toEqual({ sshUsername: 'tech', rdpUsername: 'Administrator' });
    expect(again.devicePrefs(WS, 'unknown')).toEqual({});
    expect(again.devicePrefs(WS, 'valueOf')).toEqual({});
  });

  it("keeps each workspace's favorites, recents, usernames and notes apart, and forgets a removed one's", () => {
    const s = open();
    s.setFavorite('ws_a', 'vet-1/xray', true);
    s.addRecent('ws_a', 'vet-1/xray');
    s.setDevicePrefs('ws_a', 'vet-1/xray', { sshUsername: 'alice', note: 'A: door code 1234' });
    expect(s.favorites('ws_b')).toEqual([]);
    expect(s.recents('ws_b')).toEqual([]);
    expect(s.devicePrefs('ws_b', 'vet-1/xray')).toEqual({});
    s.setDevicePrefs('ws_b', 'vet-1/xray', { note: 'B' });
    expect(open().devicePrefs('ws_a', 'vet-1/xray')).toEqual({
      sshUsername: 'alice',
      note: 'A: door code 1234',
    });

    s.forgetWorkspace('ws_a');
    const again = open();
    expect(again.favorites('ws_a')).toEqual([]);
    expect(again.devicePrefs('ws_a', 'vet-1/xray')).toEqual({});
    expect(again.devicePrefs('ws_b', 'vet-1/xray')).toEqual({ note: 'B' });
    expect(() => again.setFavorite('../x', 'd', true)).toThrow();
  });

  it('caps recents', () => {
    const s = open();
    for (let i = 0; i < 30; i++) s.addRecent(WS, `d${i}`);
    expect(s.recents(WS)).toHaveLength(20);
    expect(s.recents(WS)[0]).toBe('d29');
  });

  it('sets a corrupt settings file aside and restores favorites and workspaces from the last good copy', () => {
    const s = open();
    s.setFavorite(WS, 'dev-a', true);
    s.saveWorkspaces([
      { id: 'ws_1', name: 'Acme', apiUrl: 'https://api.ngrok.com', createdAt: '2026-11-23T09:00:00Z' },
    ]);
    writeFileSync(s.file, '{"deviceRecords": {', 'utf8');

    const recovered = open();
    expect(recovered.favorites(WS)).toEqual(['dev-a']);
    expect(recovered.workspaces().map((w) => w.name)).toEqual(['Acme']);
    const setAside = readdirSync(home).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(setAside).toEqual(['settings.json.corrupt-2026-11-23T10-00-00-000Z']);
    expect(readFileSync(path.join(home, setAside[0]!), 'utf8')).toBe('{"deviceRecords": {');
    expect(logs.join('\n')).toMatch(/damaged; set it aside as .* and restored the last good copy\./);
    // The rebuilt file is valid JSON again, and new writes land in it.
    recovered.setFavorite(WS, 'dev-b', true);
    expect(JSON.parse(readFileSync(recovered.file, 'utf8')).deviceRecords[WS].favorites).toEqual([
      'dev-a',
      'dev-b',
    ]);
  });

  it('a damaged settings file with no good copy beside it: the note says nothing was restored', () => {
    writeFileSync(path.join(home, 'settings.json'), '{"workspaces": [', 'utf8');
    const recovered = open();
    expect(recovered.workspaces()).toEqual([]);
    expect(readFileSync(path.join(home, 'settings.json.corrupt-2026-11-23T10-00-00-000Z'), 'utf8')).toBe(
      '{"workspaces": [',
    );
    expect(logs).toEqual([
      '[settings] The settings file was damaged; set it aside as settings.json.corrupt-2026-11-23T10-00-00-000Z and found no good copy to restore: SiteHop starts without workspaces, favorites or notes (the file set aside still holds what could be read of them).',
    ]);
  });

  it('recovers an empty or non-object settings file', () => {
    open().setFavorite(WS, 'dev-a', true);
    writeFileSync(path.join(home, 'settings.json'), '', 'utf8');
    expect(open().favorites(WS)).toEqual(['dev-a']);
    writeFileSync(path.join(home, 'settings.json'), '[1,2]', 'utf8');
    expect(open().favorites(WS)).toEqual(['dev-a']);
  });

  it('falls back to the last good copy of one malformed field without touching the others', () => {
    const s = open();
    s.setFavorite(WS, 'dev-a', true);
    s.setUiPrefs({ theme: 'dark' });
    const raw = JSON.parse(readFileSync(s.file, 'utf8')) as Record<string, unknown>;
    raw.deviceRecords = 'not-a-record';
    writeFileSync(s.file, JSON.stringify(raw), 'utf8');
    const again = open();
    expect(again.favorites(WS)).toEqual(['dev-a']);
    expect(again.uiPrefs().theme).toBe('dark');
  });

  it('starts empty with no files, and with a missing backup', () => {
    const s = open();
    expect(s.favorites(WS)).toEqual([]);
    expect(s.workspaces()).toEqual([]);
    rmSync(path.join(home, 'settings.backup.json'));
    writeFileSync(s.file, 'garbage', 'utf8');
    expect(open().favorites(WS)).toEqual([]);
    expect(existsSync(path.join(home, 'settings.backup.json'))).toBe(true);
  });
});
