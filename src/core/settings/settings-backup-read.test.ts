// A field settings.json does not hold falls back to settings.backup.json as it is on disk (the other process writes
// it too). `sync` and `unassignedDeviceRecords` are absent in most homes, so that fallback runs on every plan of a
// sync and twice in every write's backup: the backup file is read again only when it changed. And a change reads
// settings.json twice (conf parses the whole file on every get: megabytes in a home of many device preferences).
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../fs/atomic-file';
import { countingConfBackend } from './testing/counting-backend';
import { openTechnicianSettings } from './technician-settings';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-backup-read-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const backupReads = (): number =>
  vi.mocked(fs.readFileSync).mock.calls.filter(([file]) => String(file).endsWith('settings.backup.json'))
    .length;
// conf reads settings.json through its own fs import: counted by the store's reads instead.
const counting = countingConfBackend();
const countingConf = counting.open;
const settingsFileReads = counting.reads;
const backup = (home: string): string => path.join(home, 'settings.backup.json');

describe('a field settings.json does not hold', () => {
  it('reads settings.json once, and the backup once while it is unchanged and again once another process rewrote it', () => {
    const settings = openTechnicianSettings({ home, open: countingConf });
    settings.setFavorite('ws_a', 'site/dev', true);
    const before = backupReads();
    const settingsReads = settingsFileReads();
    for (let i = 0; i < 20; i++) settings.syncIntervals();
    expect(backupReads() - before).toBeLessThanOrEqual(1);
    // And settings.json itself once a read, not again to tell an absent field from an invalid one.
    expect(settingsFileReads() - settingsReads).toBe(20);

    // This process's own changes: it knows the backup it wrote.
    const starred = backupReads();
    for (let i = 0; i < 5; i++) settings.setFavorite('ws_a', `site/dev-${i}`, true);
    expect(backupReads() - starred).toBe(0);

    // The other process's backup (as if it had set the intervals): followed, not the copy read before.
    const kept = JSON.parse(fs.readFileSync(backup(home), 'utf8')) as Record<string, unknown>;
    writeFileAtomic(backup(home), JSON.stringify({ ...kept, sync: { statusVisibleMs: 120_000 } }));
    expect(settings.syncIntervals().statusVisibleMs).toBe(120_000);
    writeFileAtomic(backup(home), JSON.stringify({ ...kept, sync: { statusVisibleMs: 180_000 } }));
    expect(settings.syncIntervals().statusVisibleMs).toBe(180_000);
  });
});

describe('a change', () => {
  it('reads settings.json twice: the records it changes, then the whole file for the backup', () => {
    const settings = openTechnicianSettings({ home, open: countingConf });
    settings.setFavorite('ws_a', 'site/dev', true);
    const before = settingsFileReads();
    settings.setFavorite('ws_a', 'site/other', true);
    // conf parses the whole file on every get: a big home (10,000 device preferences) paid 7 parses a star.
    expect(settingsFileReads() - before).toBe(2);
    expect(settings.favorites('ws_a')).toEqual(['site/dev', 'site/other']);
  });
});
