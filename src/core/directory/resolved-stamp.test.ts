// The skip of a sync's resolve (issue 12, item 5) and what the kept account file carries for it to the next process:
// the real cache on a temporary home, the sync source's own decision (skipsResolve / sitesOfAnswer), and the
// resolver. Any doubt about the kept state means a resolve.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import type { AccountObjects, Endpoint } from '../ngrok/types';
import { mergeStatus, type AccountSnapshot } from './account-snapshot';
import { createDirectoryCache } from './cache';
import { resolveDirectory } from './resolve';
import { sameRecord } from './resolve-canon';
import { READ_FIELDS, records, type Rec } from './resolve-read';
import { RESOLVER_VERSION, stampFor, stampOf, trustedFixedPoint } from './resolved-stamp';
import { fidelityState } from './testing/fidelity-account';
import { account as fixtureAccount } from './testing/fixtures';
import { resolveAndStamp, sameAsRead, sitesOfAnswer, skipsResolve } from './sync-source';
import { accountObjects } from './testing/hostile-accounts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-stamp-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const WS = 'ws_stamp';
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The fidelity account as an API listing gives it (plain JSON), every collection present. */
function account(): AccountObjects {
  const st = fidelityState({ edge: 'fake' }) as Record<string, unknown>;
  const list = (k: string): unknown[] => (Array.isArray(st[k]) ? (st[k] as unknown[]) : []);
  return json({
    endpoints: list('endpoints'),
    reserved_addrs: list('reserved_addrs'),
    tunnel_sessions: list('tunnel_sessions'),
    credentials: list('credentials'),
    bot_users: list('bot_users'),
    service_users: list('service_users'),
    ip_policies: list('ip_policies'),
    ip_policy_rules: list('ip_policy_rules'),
  }) as unknown as AccountObjects;
}

/** What a sync keeps: the sites (cache file) and then the objects (account file), as sync-service.ts keep() does. */
function keep(objects: AccountObjects, sites: Site[]): void {
  const cache = createDirectoryCache({ home });
  cache.save({ workspaceId: WS, syncedAt: '2026-11-30T09:00:00.000Z', sites, counts: {} });
  cache.saveAccount?.(WS, { fullSyncedAt: '2026-11-30T09:00:00.000Z', watermark: null, objects });
}

/** What a new process reads back: the cached sites, then the kept objects. */
function readBack(): { sites: Site[]; kept: AccountSnapshot } {
  const cache = createDirectoryCache({ home });
  const sites = cache.load(WS)?.sites;
  const kept = cache.loadAccount?.(WS) ?? null;
  if (sites === undefined || kept === null) throw new Error('nothing kept');
  return { sites, kept };
}

const accountFile = (): string => path.join(home, 'account-cache', `${WS}.json`);
const editAccountFile = (edit: (raw: Record<string, unknown>) => void): void => {
  const raw = JSON.parse(readFileSync(accountFile(), 'utf8')) as Record<string, unknown>;
  edit(raw);
  writeFileSync(accountFile(), JSON.stringify(raw));
};

describe('skipping the resolve of an answer equal to the kept objects', () => {
  it('a new process keeps the cached sites for a full answer equal on every field the resolver reads', () => {
    const objects = account();
    keep(objects, resolveAndStamp(objects, undefined));
    const { sites, kept } = readBack();
    expect(trustedFixedPoint(kept.objects)).toBe(true);
    // Every object new (a full listing), one field the resolver never reads changed.
    const answer = json(kept.objects);
    (answer.endpoints[0] as Endpoint).created_at = '2030-01-01T00:00:00Z';
    expect(skipsResolve('full', kept, answer, sites)).toBe(true);
    expect(sitesOfAnswer(answer, sites, true)).toEqual(
      resolveDirectory(json(answer), { previous: sites }).sites,
    );
    // The answer's objects carry the stamp on to the next sync.
    expect(stampOf(answer)).toEqual(stampFor(true));
  });

  it('resolves when a field the resolver reads changed, or the order did', () => {
    const objects = account();
    keep(objects, resolveAndStamp(objects, undefined));
    const { sites, kept } = readBack();
    const changed = json(kept.objects);
    (changed.endpoints[0] as Endpoint).metadata = '{"siteName":"Elsewhere"}';
    expect(skipsResolve('full', kept, changed, sites)).toBe(false);
    const reordered = json(kept.objects);
    reordered.endpoints.reverse();
    expect(skipsResolve('full', kept, reordered, sites)).toBe(false);
    // A status answer with one session gone is a change too, and so is one session's metadata.
    const status = { ...kept.objects, tunnel_sessions: kept.objects.tunnel_sessions.slice(1) };
    expect(skipsResolve('status', kept, status, sites)).toBe(false);
    const sessions = json(kept.objects.tunnel_sessions);
    expect(sessions.length).toBeGreaterThan(0);
    expect(skipsResolve('status', kept, mergeStatus(kept.objects, sessions, []), sites)).toBe(true);
    sessions[0]!.metadata = '{"site":"Elsewhere"}';
    expect(skipsResolve('status', kept, mergeStatus(kept.objects, sessions, []), sites)).toBe(false);
    // An endpoint created since, or one kept endpoint changed in place of the old one.
    const created = { ...json(kept.objects.endpoints[0]!), id: 'ep_new' };
    expect(
      skipsResolve(
        'status',
        kept,
        mergeStatus(kept.objects, json(kept.objects.tunnel_sessions), [created]),
        sites,
      ),
    ).toBe(false);
    const edited = { ...json(kept.objects.endpoints[1]!), metadata: '{"siteName":"Elsewhere"}' };
    expect(
      skipsResolve(
        'status',
        kept,
        mergeStatus(kept.objects, json(kept.objects.tunnel_sessions), [edited]),
        sites,
      ),
    ).toBe(false);
  });

  it('resolves when the kept file has no stamp, another version, a damaged stamp, or a stamp of other sites', () => {
    const objects = account();
    const resolved = resolveAndStamp(objects, undefined);
    const cases: Array<[string, () => void]> = [
      ['no stamp (an older file)', () => editAccountFile((raw) => delete raw.resolved)],
      [
        'another resolver version',
        () =>
          editAccountFile((raw) => (raw.resolved = { ...stampFor(true), resolver: RESOLVER_VERSION + 1 })),
      ],
      ['a damaged stamp', () => editAccountFile((raw) => (raw.resolved = 'fixed'))],
      ['not a fixed point', () => editAccountFile((raw) => (raw.resolved = stampFor(false)))],
      ['no pairing', () => editAccountFile((raw) => delete raw.sitesGeneration)],
      [
        'sites saved again since (a sync that kept no objects, or a crash between the two writes)',
        () =>
          createDirectoryCache({ home }).save({
            workspaceId: WS,
            syncedAt: '2026-11-30T10:00:00.000Z',
            sites: resolved,
            counts: {},
          }),
      ],
    ];
    for (const [label, damage] of cases) {
      keep(objects, resolved);
      expect(readBack().kept.objects, label).toBeDefined();
      damage();
      const { sites, kept } = readBack();
      expect(trustedFixedPoint(kept.objects), label).toBe(false);
      expect(skipsResolve('full', kept, json(kept.objects), sites), label).toBe(false);
      expect(skipsResolve('status', kept, kept.objects, sites), label).toBe(false);
    }
    // A kept file that does not parse is no kept objects at all (the next sync reads everything).
    keep(objects, resolved);
    writeFileSync(accountFile(), '{"version":1,"resolved":{"resol');
    expect(createDirectoryCache({ home }).loadAccount?.(WS)).toBeNull();
  });

  it('never keeps sites that are not a fixed point of their objects (found by the property)', () => {
    // "a.b.clinic1.internal" is online and names the site clinic1; the offline "PC.Clinic1.internal" spells it
    // Clinic1. Resolved with no previous, the site is "Clinic1"; with those sites as previous the offline service
    // remembers its site and device as they were shown, and the site becomes "clinic1". A skip would have kept
    // "Clinic1" where a resolve gives "clinic1".
    const forward = (url: string): string =>
      JSON.stringify({
        on_tcp_connect: [
          {
            actions: [
              { type: 'restrict-ips', config: { allow: [] } },
              { type: 'forward-internal', config: { url } },
            ],
          },
        ],
      });
    const objects = fixtureAccount({
      endpoints: [
        {
          id: '',
          type: 'agent',
          url: 'tcp://a.b.clinic1.internal:22',
          tunnel_session: { id: 'ra_1', uri: '' },
          principal: { id: 'ra_1', uri: '' },
        },
        {
          id: '',
          type: 'cloud',
          url: 'tcp://1.tcp.ngrok.io:21234',
          traffic_policy: forward('tcp://a.b.clinic1.internal:22'),
          tcp_addr: '""',
        },
        {
          id: '',
          type: 'cloud',
          url: 'tcp://1.tcp.ngrok.io:21236',
          traffic_policy: forward('tcp://PC.Clinic1.internal:22'),
          tcp_addr: { id: '', uri: '' },
        },
      ] as unknown as Endpoint[],
    });
    const first = resolveAndStamp(objects, []);
    expect(stampOf(objects)).toEqual(stampFor(false));
    keep(objects, first);
    const { sites, kept } = readBack();
    expect(skipsResolve('status', kept, kept.objects, sites)).toBe(false);
    const answer = sitesOfAnswer(kept.objects, sites, false);
    expect(answer).toEqual(resolveDirectory(json(objects), { previous: sites }).sites);
    expect(answer).not.toEqual(sites);
    // Resolved once more with its own sites, it is a fixed point, and the next unchanged sync may skip.
    expect(stampOf(kept.objects)).toEqual(stampFor(true));
  });
});

describe('a connect check', () => {
  it('resolves once and leaves its objects unstamped, so the next sync resolves them', () => {
    const objects = account();
    const sites = sitesOfAnswer(objects, undefined, false, false);
    expect(sites).toEqual(resolveDirectory(json(objects)).sites);
    expect(stampOf(objects)).toBeUndefined();
    expect(trustedFixedPoint(objects)).toBe(false);
  });
});

describe('comparing a full answer with the kept objects', () => {
  it('says equal exactly when every record is equal on READ_FIELDS (resolve-canon.ts sameRecord)', () => {
    const none: unknown[] = [];
    const wrap = (endpoints: unknown[]): AccountObjects =>
      ({
        endpoints,
        reserved_addrs: none,
        tunnel_sessions: none,
        credentials: none,
        bot_users: none,
        service_users: none,
        ip_policies: none,
        ip_policy_rules: none,
      }) as unknown as AccountObjects;
    const wrapAddrs = (reserved: unknown[]): AccountObjects =>
      ({ ...wrap(none), reserved_addrs: reserved }) as unknown as AccountObjects;
    fc.assert(
      fc.property(accountObjects, accountObjects, fc.nat(), (k1, k2, n) => {
        const mine = records((k1 as unknown as Rec).endpoints);
        const theirs = records((k2 as unknown as Rec).endpoints);
        for (const a of mine) {
          const field = READ_FIELDS.endpoints[n % READ_FIELDS.endpoints.length] as string;
          const other = theirs.length === 0 ? undefined : theirs[n % theirs.length];
          const candidates: Rec[] = [
            structuredClone(a),
            JSON.parse(JSON.stringify(a)) as Rec,
            { ...structuredClone(a), [field]: other?.[field] },
            { ...structuredClone(a), [field]: structuredClone(other?.[field]) },
          ];
          for (const b of candidates)
            expect(sameAsRead(wrap([a]), wrap([b]))).toBe(sameRecord(a, b, READ_FIELDS.endpoints));
        }
        // Reserved addresses the same way.
        const addrs = records((k1 as unknown as Rec).reserved_addrs);
        const others = records((k2 as unknown as Rec).reserved_addrs);
        for (const a of addrs) {
          const field = READ_FIELDS.reserved_addrs[n % READ_FIELDS.reserved_addrs.length] as string;
          const other = others.length === 0 ? undefined : others[n % others.length];
          for (const b of [
            structuredClone(a),
            JSON.parse(JSON.stringify(a)) as Rec,
            { ...structuredClone(a), [field]: other?.[field] },
          ])
            expect(sameAsRead(wrapAddrs([a]), wrapAddrs([b]))).toBe(
              sameRecord(a, b, READ_FIELDS.reserved_addrs),
            );
        }
      }),
      { numRuns: 300 },
    );
    // Nested values that differ only in a way a flat comparison could miss.
    const base = {
      id: 'ep_1',
      type: 'agent',
      url: 'tcp://a.internal:22',
      tunnel_session: { id: 'ts_1', uri: 'u' },
    };
    const bare = Object.assign(Object.create(null) as Rec, { id: 'ts_1', uri: 'u' });
    const pairs: Array<[unknown, unknown]> = [
      [
        { id: 'ts_1', uri: 'u' },
        { id: 'ts_1', uri: 'u', extra: 'x' },
      ],
      [
        { id: 'ts_1', uri: 'u', extra: 'x' },
        { id: 'ts_1', uri: 'u' },
      ],
      [
        { id: 'ts_1', uri: 'u' },
        { id: 'ts_1', uri: 'v' },
      ],
      [{ id: 'ts_1', uri: 'u' }, bare],
      [
        { id: 'ts_1', n: 0 },
        { id: 'ts_1', n: -0 },
      ],
      [
        { id: 'ts_1', deep: { id: 'x' } },
        { id: 'ts_1', deep: { id: 'x' } },
      ],
      [['internal'], ['internal', 'public']],
      [['internal'], { 0: 'internal' }],
      [0, -0],
    ];
    for (const [p, q] of pairs) {
      const a = { ...base, tunnel_session: p } as Rec;
      const b = { ...base, tunnel_session: q } as Rec;
      expect(sameAsRead(wrap([a]), wrap([b])), JSON.stringify([p, q])).toBe(
        sameRecord(a, b, READ_FIELDS.endpoints),
      );
    }
  });
});
