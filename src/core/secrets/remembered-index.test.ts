// The index of remembered secrets on a real disk: what it names, one write per change, and a damaged file restored
// from its last good copy.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../fs/atomic-file';
import {
  openRememberedIndex,
  REMEMBERED_INDEX_BACKUP,
  REMEMBERED_INDEX_FILE,
  type RememberedItem,
} from './remembered-index';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-remembered-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const a1: RememberedItem = { workspaceId: 'ws_a', deviceId: 'vet-1/xray', kind: 'ssh-password' };
const a2: RememberedItem = { workspaceId: 'ws_a', deviceId: 'vet-1/xray', kind: 'rdp-password' };
const b1: RememberedItem = { workspaceId: 'ws_b', deviceId: 'vet-1/xray', kind: 'ssh-password' };

describe('remembered-secrets index (real files)', () => {
  it('names items per workspace, writes once per change, and is shared by every opener of the home', () => {
    const writes: string[] = [];
    const index = openRememberedIndex({
      home,
      writeFile: (file, content) => {
        writes.push(path.basename(file));
        writeFileAtomic(file, content);
      },
    });
    expect(index.items('ws_a')).toEqual([]);
    index.add(a1);
    index.add(a2);
    index.add(b1);
    expect(writes).toEqual([
      REMEMBERED_INDEX_FILE,
      REMEMBERED_INDEX_BACKUP,
      REMEMBERED_INDEX_FILE,
      REMEMBERED_INDEX_BACKUP,
      REMEMBERED_INDEX_FILE,
      REMEMBERED_INDEX_BACKUP,
    ]);
    index.add(a1);
    index.remove([{ ...b1, workspaceId: 'ws_c' }]);
    expect(writes).toHaveLength(6);

    // Another process (the CLI beside the app) sees the same names.
    const other = openRememberedIndex({ home });
    expect(other.items('ws_a')).toEqual([a1, a2]);
    expect(other.items('ws_b')).toEqual([b1]);
    other.remove([a1, a2]);
    expect(index.items('ws_a')).toEqual([]);
    expect(index.items('ws_b')).toEqual([b1]);
    const stored = JSON.parse(readFileSync(path.join(home, REMEMBERED_INDEX_FILE), 'utf8')) as unknown;
    expect(stored).toEqual({ version: 1, items: [b1] });
  });

  it('sets a damaged file aside and goes on from the last good copy', () => {
    const logs: string[] = [];
    const index = openRememberedIndex({ home, log: (l) => logs.push(l), now: () => new Date(0) });
    index.add(a1);
    index.add(b1);
    writeFileSync(path.join(home, REMEMBERED_INDEX_FILE), '{"version":1,"items":[{"workspa');
    expect(index.items('ws_a')).toEqual([a1]);
    expect(logs.join('\n')).toMatch(/damaged; set it aside as remembered-secrets\.json\.corrupt-.*restored/);
    expect(readdirSync(home).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    // Restored in place: the next reader needs no copy.
    rmSync(path.join(home, REMEMBERED_INDEX_BACKUP));
    expect(openRememberedIndex({ home }).items('ws_b')).toEqual([b1]);
  });

  it('with neither file readable it names nothing and says what that means', () => {
    const logs: string[] = [];
    writeFileSync(path.join(home, REMEMBERED_INDEX_FILE), 'not json');
    const index = openRememberedIndex({ home, log: (l) => logs.push(l) });
    expect(index.items('ws_a')).toEqual([]);
    expect(logs.join('\n')).toMatch(/found no good copy/);
    index.add(a1);
    expect(existsSync(path.join(home, REMEMBERED_INDEX_BACKUP))).toBe(true);
    expect(index.items('ws_a')).toEqual([a1]);
  });
});
