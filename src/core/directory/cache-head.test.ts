// The cache's head file through the real file system (a temp folder per test): it answers the first screen as the
// whole cache would, and whenever it is missing, damaged, or written for another cache file (a crash between the
// two writes, a file restored from elsewhere) it answers nothing, so the full read decides.
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import { writeFileAtomic } from '../fs/atomic-file';
import { createDirectoryCache, type CachedDirectory } from './cache';
import { firstSites, HEAD_DEVICES, headText, newGeneration } from './cache-head';

let home: string;
const logs: string[] = [];
const cache = () =>
  createDirectoryCache({ home, now: () => new Date('2026-11-23T10:00:00Z'), log: (l) => logs.push(l) });
const cacheFile = () => path.join(home, 'cache', 'ws_1.json');
const headFile = () => path.join(home, 'cache', 'ws_1.head.json');

/** `count` sites of 1..7 devices each, names carrying `tag` so two directories never look alike. */
function sites(count: number, tag: string): Site[] {
  return Array.from({ length: count }, (_, s) => ({
    id: `site${s}`,
    name: `Site ${s} ${tag}`,
    online: s % 3 !== 0,
    agentLastSeenAt: '2026-11-23T09:00:00.000Z',
    devices: Array.from({ length: 1 + ((s * 5) % 7) }, (_, d) => ({
      id: `site${s}/dev${d}`,
      siteId: `site${s}`,
      name: `dev${d}-${tag}`,
      online: d % 2 === 0,
      services: [
        {
          id: `site${s}/dev${d}/ssh`,
          deviceId: `site${s}/dev${d}`,
          kind: 'ssh' as const,
          host: '1.tcp.ngrok.io',
          port: 20000 + s * 10 + d,
          target: `tcp://dev${d}.site${s}.internal:22`,
          online: d % 2 === 0,
          allow: [],
          deny: [],
          username: null,
          problem: null,
          offlineReason: null,
        },
      ],
    })),
  }));
}

const entry = (tag: string, count = 120) => ({
  workspaceId: 'ws_1',
  syncedAt: `2026-11-23T09:00:00.000Z#${tag}`,
  sites: sites(count, tag),
  counts: { endpoints: count },
});

/** What directory.head answers from the whole cache (the handler's own selection). */
function fromFull(full: CachedDirectory, devices: number) {
  return {
    syncedAt: full.syncedAt,
    sites: firstSites(full.sites, devices),
    totalSites: full.sites.length,
    totalDevices: full.sites.reduce((n, s) => n + s.devices.length, 0),
  };
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-cache-head-'));
  logs.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('cache head', () => {
  it('answers the first screen exactly as the whole cache does, for any screen up to its size', () => {
    cache().save(entry('a'));
    expect(readdirSync(path.join(home, 'cache')).sort()).toEqual(['ws_1.head.json', 'ws_1.json']);
    const c = cache();
    const full = createDirectoryCache({ home }).load('ws_1')!;
    for (const devices of [1, 2, 7, 50, 120, HEAD_DEVICES]) {
      const head = c.loadHead!('ws_1', devices);
      expect(head).toEqual(fromFull(full, devices));
      expect(head!.sites.length).toBeLessThan(full.sites.length);
    }
    // More devices than the head holds: only the full read can answer.
    expect(c.loadHead!('ws_1', HEAD_DEVICES + 1)).toBeNull();
    // Reading the head is not reading the cache.
    expect(c.loadedBefore!('ws_1')).toBe(false);
    c.load('ws_1');
    expect(c.loadedBefore!('ws_1')).toBe(true);
  });

  it('holds a small directory whole, so any screen size is answered', () => {
    cache().save(entry('small', 3));
    const full = cache().load('ws_1')!;
    expect(cache().loadHead!('ws_1', 1000)).toEqual(fromFull(full, 1000));
    cache().save({ workspaceId: 'ws_1', syncedAt: 'empty', sites: [], counts: {} });
    expect(cache().loadHead!('ws_1', 120)).toEqual({
      syncedAt: 'empty',
      sites: [],
      totalSites: 0,
      totalDevices: 0,
    });
  });

  it('follows each save: the head always describes the latest cache', () => {
    const c = cache();
    c.save(entry('a'));
    c.save(entry('b', 90));
    expect(c.loadHead!('ws_1', 120)).toEqual(fromFull(c.load('ws_1')!, 120));
    expect(c.loadHead!('ws_1', 120)!.sites[0]!.name).toMatch(/ b$/);
  });

  it('reads a head again once its file changed (a read head is kept by its exact text)', () => {
    const c = cache();
    c.save(entry('a'));
    expect(c.loadHead!('ws_1', 120)!.sites[0]!.name).toMatch(/ a$/);
    c.save(entry('b'));
    expect(c.loadHead!('ws_1', 120)!.sites[0]!.name).toMatch(/ b$/);
    writeFileSync(headFile(), readFileSync(headFile(), 'utf8').replace('"sites":[', '"sites":[3,'));
    expect(c.loadHead!('ws_1', 120)).toBeNull();
  });

  it('is missing (an older cache, or none): no answer, and the full read still works', () => {
    expect(cache().loadHead!('ws_1', 120)).toBeNull();
    cache().save(entry('a'));
    rmSync(headFile());
    expect(cache().loadHead!('ws_1', 120)).toBeNull();
    expect(cache().load('ws_1')!.syncedAt).toMatch(/#a$/);
    // A head without its cache answers nothing either.
    cache().save(entry('a'));
    rmSync(cacheFile());
    expect(cache().loadHead!('ws_1', 120)).toBeNull();
  });

  it('is stale (restored from an older save): no answer; the full read gives the newer directory', () => {
    const c = cache();
    c.save(entry('old'));
    copyFileSync(headFile(), `${headFile()}.kept`);
    c.save(entry('new'));
    copyFileSync(`${headFile()}.kept`, headFile());
    expect(c.loadHead!('ws_1', 120)).toBeNull();
    expect(c.load('ws_1')!.syncedAt).toMatch(/#new$/);
  });

  it('a crash after the cache was written but before its head: the old head answers nothing', () => {
    const c = cache();
    c.save(entry('old'));
    // Only the first of the two writes of the next save happens.
    writeFileAtomic(cacheFile(), JSON.stringify({ version: 1, ...entry('new') }));
    expect(c.loadHead!('ws_1', 120)).toBeNull();
    expect(c.load('ws_1')!.syncedAt).toMatch(/#new$/);
  });

  it('a crash after the head was written but before its cache: the new head answers nothing', () => {
    const c = cache();
    c.save(entry('old'));
    const next = entry('new');
    const generation = newGeneration();
    // The head a save would write for the new directory lands; the cache keeps the old one.
    writeFileAtomic(
      headFile(),
      headText(next, 1, generation, JSON.stringify({ version: 1, generation, ...next })),
    );
    expect(c.loadHead!('ws_1', 120)).toBeNull();
    expect(c.load('ws_1')!.syncedAt).toMatch(/#old$/);
  });

  it('tells two saves of the same directory apart (same syncedAt, same size)', () => {
    const c = cache();
    c.save(entry('a'));
    copyFileSync(headFile(), `${headFile()}.kept`);
    c.save(entry('a'));
    expect(c.loadHead!('ws_1', 120)).not.toBeNull();
    copyFileSync(`${headFile()}.kept`, headFile());
    expect(c.loadHead!('ws_1', 120)).toBeNull();
  });

  it('refuses a cache file of another size than the head recorded', () => {
    const c = cache();
    c.save(entry('a'));
    writeFileSync(cacheFile(), `${readFileSync(cacheFile(), 'utf8')}\n`);
    expect(c.loadHead!('ws_1', 120)).toBeNull();
    expect(c.load('ws_1')!.syncedAt).toMatch(/#a$/);
  });

  it('a cache written without a generation (an older version) has no head to match', () => {
    const c = cache();
    c.save(entry('a'));
    const { generation: _dropped, ...old } = JSON.parse(readFileSync(cacheFile(), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(cacheFile(), JSON.stringify(old));
    expect(c.loadHead!('ws_1', 120)).toBeNull();
    expect(c.load('ws_1')!.syncedAt).toMatch(/#a$/);
  });

  it.each([
    ['truncated JSON', (text: string) => text.slice(0, text.length / 2)],
    ['empty file', () => ''],
    ['wrong shape', (text: string) => text.replace('"sites":[', '"sites":[3,')],
    ['another workspace', (text: string) => text.replace('"workspaceId":"ws_1"', '"workspaceId":"ws_2"')],
    ['another cache format', (text: string) => text.replace('"cacheVersion":1', '"cacheVersion":2')],
  ])('is damaged (%s): no answer, removed, and the full read still works', (label, damage) => {
    const c = cache();
    c.save(entry('a'));
    const text = readFileSync(headFile(), 'utf8');
    writeFileSync(headFile(), damage(text));
    expect(c.loadHead!('ws_1', 120)).toBeNull();
    if (label !== 'another cache format') {
      expect(existsSync(headFile())).toBe(false);
      expect(logs.join('\n')).toMatch(/cache head of workspace ws_1 was unreadable/);
    }
    expect(c.load('ws_1')!.syncedAt).toMatch(/#a$/);
  });

  it('goes with its cache: removed with the workspace, and when the cache is set aside as damaged', () => {
    const c = cache();
    c.save(entry('a'));
    c.load('ws_1');
    c.remove('ws_1');
    expect(readdirSync(path.join(home, 'cache'))).toEqual([]);
    expect(c.loadedBefore!('ws_1')).toBe(false);
    c.save(entry('a'));
    writeFileSync(cacheFile(), '{"version":1,');
    expect(c.load('ws_1')).toBeNull();
    expect(existsSync(headFile())).toBe(false);
    expect(c.loadHead!('ws_1', 120)).toBeNull();
  });
});
