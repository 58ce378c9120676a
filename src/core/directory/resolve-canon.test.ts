// Swapping a new listing's records for equal earlier ones (resolve-canon.ts) is only sound if the resolver reads no
// field outside READ_FIELDS, and only useful if it makes a re-resolve of new, equal objects reuse the last output.
import { describe, expect, it, vi } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { SandboxStore } from '../../sandbox/state/store';
import type { SandboxStateFile } from '../../sandbox/state/types';
import { ACCOUNT_COLLECTIONS } from '../ngrok/types';
import type { AccountObjects, Endpoint } from '../ngrok/types';
import type { resolveDirectory as Resolve } from './resolve';
import { FAST_SAME, sameRecord } from './resolve-canon';
import { READ_FIELDS } from './resolve-read';
import type { AccountLists } from './resolve-read';
import { fidelityState } from './testing/fidelity-account';
import { account, agentEndpoint, cloud, forwardPolicy } from './testing/fixtures';

function objectsOf(state: SandboxStateFile): AccountObjects {
  const store = new SandboxStore(state);
  return Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)])) as unknown as AccountObjects;
}

/** A resolver with empty memos: no earlier record to swap in, so every read reaches the records given. */
async function freshResolver(): Promise<typeof Resolve> {
  vi.resetModules();
  return (await import('./resolve')).resolveDirectory;
}

const accounts = (): Array<[string, AccountObjects]> => [
  ['fidelity account', objectsOf(fidelityState({ edge: 'fake' }) as SandboxStateFile)],
  [
    'generated fleet',
    objectsOf(
      generateFleet({
        sites: 6,
        devices: 80,
        seed: 11,
        edgeHost: '1.tcp.ngrok.io',
        sshUpstream: 'tcp://127.0.0.1:2222',
        rdpUpstream: 'tcp://127.0.0.1:3390',
      }),
    ),
  ],
];

describe('READ_FIELDS lists every record field the resolver reads', () => {
  it.each(accounts())('%s, cold and with itself as previous', async (_name, objects) => {
    const read = new Map<string, Set<string>>();
    const watched = Object.fromEntries(
      Object.entries(objects).map(([collection, list]) => {
        const keys = new Set<string>();
        read.set(collection, keys);
        const note = (key: string | symbol): void => {
          if (typeof key === 'string') keys.add(key);
        };
        return [
          collection,
          (list as object[]).map(
            (record) =>
              new Proxy(record, {
                get: (t, k, r) => (note(k), Reflect.get(t, k, r)),
                has: (t, k) => (note(k), Reflect.has(t, k)),
                getOwnPropertyDescriptor: (t, k) => (note(k), Reflect.getOwnPropertyDescriptor(t, k)),
              }),
          ),
        ];
      }),
    ) as unknown as AccountObjects;
    const resolve = await freshResolver();
    const first = resolve(watched);
    resolve(watched, { previous: first.sites });
    expect(first.sites.length).toBeGreaterThan(0);
    for (const [collection, keys] of read) {
      const allowed = new Set(READ_FIELDS[collection as keyof AccountLists] ?? []);
      expect(
        [...keys].filter((k) => !allowed.has(k)),
        collection,
      ).toEqual([]);
    }
    // The records were read at all (the proxies saw the fields that matter).
    expect(read.get('endpoints')).toContain('traffic_policy');
  });
});

describe('the written-out comparisons (FAST_SAME)', () => {
  const cases = (): Array<[keyof AccountLists, Array<Record<string, unknown>>]> => {
    const all = accounts().map(([, o]) => o);
    return (Object.keys(FAST_SAME) as Array<keyof AccountLists>).map((name) => [
      name,
      all.flatMap((o) => o[name] as unknown as Array<Record<string, unknown>>),
    ]);
  };

  it.each(cases())('%s: read exactly READ_FIELDS', (name, records) => {
    const fast = FAST_SAME[name] as (a: object, b: object) => boolean;
    const read = new Set<string>();
    const watched = (r: object): object =>
      new Proxy(r, {
        get: (t, k, rec) => (typeof k === 'string' && read.add(k), Reflect.get(t, k, rec)),
      });
    const r = records[0] as object;
    expect(fast(watched(r), watched(structuredClone(r)))).toBe(true);
    expect([...read].sort()).toEqual([...READ_FIELDS[name]].sort());
  });

  it.each(cases())(
    '%s: agree with the field-by-field comparison on every one-field change',
    (name, records) => {
      const fast = FAST_SAME[name] as (a: Record<string, unknown>, b: Record<string, unknown>) => boolean;
      const fields = READ_FIELDS[name];
      const other = (v: unknown): unknown[] => [
        undefined,
        null,
        0,
        -0,
        'x',
        [],
        {},
        { id: 'y' },
        [v],
        String(v),
      ];
      let differing = 0;
      for (const a of records.slice(0, 60))
        for (const k of fields)
          for (const v of other(a[k])) {
            const b = { ...structuredClone(a), [k]: v };
            const same = sameRecord(a, b, fields);
            expect(fast(a, b), `${name}.${k}`).toBe(same);
            expect(sameRecord(a, b, fields, fast)).toBe(same);
            if (!same) differing++;
          }
      expect(differing).toBeGreaterThan(0);
    },
  );
});

describe('new records equal to the last ones', () => {
  it('reuse the last devices and sites; a change in a read field shows as a fresh resolver shows it', async () => {
    const resolve = await freshResolver();
    const objects = objectsOf(fidelityState({ edge: 'fake' }) as SandboxStateFile);
    const raw = JSON.stringify(objects);
    const cold = resolve(JSON.parse(raw) as AccountObjects);
    const before = resolve(JSON.parse(raw) as AccountObjects, { previous: cold.sites });

    // Equal records, new objects; a field the resolver never reads changed: everything is reused.
    const touched = JSON.parse(raw) as AccountObjects;
    for (const e of touched.endpoints) (e as unknown as Record<string, unknown>).updated_at = 'later';
    const same = resolve(touched, { previous: before.sites });
    expect(same).toEqual(before);
    same.sites.forEach((site, i) => expect(site).toBe(before.sites[i]));

    // One cloud endpoint's metadata names another device: that one changes, as a fresh resolver says.
    const edited = JSON.parse(raw) as AccountObjects;
    const target = edited.endpoints.find((e) => e.type === 'cloud' && typeof e.metadata === 'string');
    expect(target).toBeDefined();
    (target as { metadata: string }).metadata = JSON.stringify({ deviceName: 'renamed-by-test' });
    const after = resolve(edited, { previous: same.sites });
    const expected = (await freshResolver())(structuredClone(edited), {
      previous: structuredClone(same.sites),
    });
    expect(after).toEqual(expected);
    expect(JSON.stringify(after)).toContain('renamed-by-test');
    expect(after).not.toEqual(before);
  });
});

describe('records compared as their pages arrive (notePage)', () => {
  it('are swapped after the last page without another comparison, and a fresh resolver agrees', async () => {
    vi.resetModules();
    const { resolveDirectory: resolve } = await import('./resolve');
    const canon = await import('./resolve-canon');
    const raw = JSON.stringify(accounts()[1]![1]);
    const kept = JSON.parse(raw) as AccountObjects;
    const before = resolve(kept);

    // A full listing of the same account, a page at a time; one record's read field differs.
    const listing = JSON.parse(raw) as AccountObjects;
    const named = listing.endpoints.filter((e) => typeof e.metadata === 'string');
    expect(named.length).toBeGreaterThan(1);
    const [changed, other] = named as [Endpoint, Endpoint];
    changed.metadata = JSON.stringify({ deviceName: 'renamed-by-test' });
    for (const name of Object.keys(listing) as Array<keyof AccountObjects>) {
      const list = listing[name] as unknown[];
      for (let from = 0; from < list.length; from += 7) canon.notePage(name, list.slice(from, from + 7));
    }
    const recs = (o: AccountObjects): Array<Record<string, unknown>> =>
      o.endpoints as unknown as Array<Record<string, unknown>>;
    recs(listing).forEach((r, i) =>
      expect(canon.notedEqual(recs(kept)[i]!, r), String(r.id)).toBe(r !== changed),
    );

    // Noted pairs are taken as noted: a read field changed after the note (a listing never is) is not seen.
    const was = other.metadata;
    other.metadata = JSON.stringify({ deviceName: 'changed-after-the-note' });
    const after = resolve(listing, { previous: before.sites });
    expect(JSON.stringify(after)).not.toContain('changed-after-the-note');
    other.metadata = was;
    expect(after).toEqual(
      (await freshResolver())(structuredClone(listing), { previous: structuredClone(before.sites) }),
    );
  });
});

describe('a status sync where agents go offline and come back', () => {
  it('gives, each time, what a fresh resolver gives (groups patched in place of a regroup)', async () => {
    const resolve = await freshResolver();
    const state = generateFleet({
      sites: 8,
      devices: 160,
      seed: 5,
      edgeHost: '1.tcp.ngrok.io',
      sshUpstream: 'tcp://127.0.0.1:2222',
      rdpUpstream: 'tcp://127.0.0.1:3390',
    });
    const online = objectsOf(state);
    // Kept objects, as a status sync keeps them: the listing without some agents' sessions and endpoints.
    const without = (n: number): AccountObjects => {
      const gone = new Set(online.tunnel_sessions.slice(0, n).map((t) => t.id));
      return {
        ...online,
        tunnel_sessions: online.tunnel_sessions.filter((t) => !gone.has(t.id)),
        endpoints: online.endpoints.filter((e) => !gone.has(e.tunnel_session?.id ?? '')),
      };
    };
    let previous = resolve(online).sites;
    for (const objects of [without(1), online, without(3), without(1), online]) {
      const got = resolve(objects, { previous });
      const expected = (await freshResolver())(structuredClone(objects), {
        previous: structuredClone(previous),
      });
      expect(got).toEqual(expected);
      previous = got.sites.map((s) => ({ ...s }));
    }
  });
});

describe('one agent of many offline and back (a few devices change: the remembered map is patched)', () => {
  it('gives, each time, what a fresh resolver gives, with kept and with re-created endpoints', async () => {
    const resolve = await freshResolver();
    const state = generateFleet({
      sites: 40,
      devices: 400,
      seed: 9,
      edgeHost: '1.tcp.ngrok.io',
      sshUpstream: 'tcp://127.0.0.1:2222',
      rdpUpstream: 'tcp://127.0.0.1:3390',
    });
    // Agents name their devices otherwise than the hosts do: offline, only the remembered map keeps those names.
    const listed = objectsOf(state);
    const online: AccountObjects = {
      ...listed,
      endpoints: listed.endpoints.map((e) => {
        if (e.type !== 'agent' || typeof e.metadata !== 'string') return e;
        const meta = JSON.parse(e.metadata) as { device?: string };
        return { ...e, metadata: JSON.stringify({ ...meta, device: `${meta.device ?? 'pc'} by agent` }) };
      }),
    };
    const without = (ids: string[]): AccountObjects => ({
      ...online,
      tunnel_sessions: online.tunnel_sessions.filter((t) => !ids.includes(t.id ?? '')),
      endpoints: online.endpoints.filter((e) => !ids.includes(e.tunnel_session?.id ?? '')),
    });
    // As real ngrok on a reconnect: the agent's endpoints come back as new objects with new ids, listed first.
    const recreated = (id: string): AccountObjects => {
      const again = online.endpoints
        .filter((e) => e.tunnel_session?.id === id)
        .map((e) => ({ ...e, id: `${e.id}-again` }));
      return {
        ...without([id]),
        tunnel_sessions: online.tunnel_sessions,
        endpoints: [...again, ...without([id]).endpoints],
      };
    };
    const [a, b] = online.tunnel_sessions.map((t) => t.id) as [string, string];
    let previous = resolve(online).sites;
    // Twice round: more patches in a row than the remembered entries stack before they are folded into one map.
    const rounds = [without([a]), online, without([b]), recreated(b), without([a, b]), online];
    for (const objects of [...rounds, ...rounds]) {
      const got = resolve(objects, { previous });
      const expected = (await freshResolver())(structuredClone(objects), {
        previous: structuredClone(previous),
      });
      expect(got).toEqual(expected);
      previous = got.sites.map((s) => ({ ...s }));
    }
  });
});

describe('the same objects with another previous directory', () => {
  it('take the remembered names of the previous given, as a fresh resolver does', async () => {
    const resolve = await freshResolver();
    const online = objectsOf(generateFleet({ sites: 40, devices: 400, seed: 3, edgeHost: '1.tcp.ngrok.io' }));
    const gone = online.tunnel_sessions[0]?.id ?? '';
    const objects: AccountObjects = {
      ...online,
      tunnel_sessions: online.tunnel_sessions.filter((t) => t.id !== gone),
      endpoints: online.endpoints.filter((e) => e.tunnel_session?.id !== gone),
    };
    const first = resolve(online).sites;
    const wasOnline = new Set(first.filter((s) => s.online).map((s) => s.id));
    const offline = new Set(
      resolve(objects, { previous: first })
        .sites.filter((s) => !s.online && wasOnline.has(s.id))
        .map((s) => s.id),
    );
    expect(offline.size).toBe(1);
    // The offline site's devices renamed in the previous directory: only the remembered entries differ.
    const renamed = first.map((s) =>
      offline.has(s.id) ? { ...s, devices: s.devices.map((d) => ({ ...d, name: `${d.name} renamed` })) } : s,
    );
    // The very arrays again (entries known by the array), then new arrays of them: each a patch of the last
    // entries, more in a row than are stacked before they are folded into one map.
    const alternate = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : renamed).slice());
    for (const previous of [renamed, first, renamed, ...alternate]) {
      const got = resolve(objects, { previous });
      const expected = (await freshResolver())(structuredClone(objects), {
        previous: structuredClone(previous),
      });
      expect(got).toEqual(expected);
    }
    expect(JSON.stringify(resolve(objects, { previous: renamed }))).toContain(' renamed');
  });
});

describe('a changed draft in the same group', () => {
  it('renames its site (same name key, another spelling and id) as a fresh resolver does', async () => {
    const resolve = await freshResolver();
    const a = cloud('tcp://1.tcp.ngrok.io:20001', forwardPolicy('tcp://pc.clinic1.internal:22'), {
      metadata: JSON.stringify({ siteName: 'Clinic 1', deviceName: 'pc' }),
    });
    const b = cloud('tcp://1.tcp.ngrok.io:20002', forwardPolicy('tcp://nas.lab.internal:22'));
    const agents = [
      agentEndpoint('tcp://pc.clinic1.internal:22'),
      agentEndpoint('tcp://nas.lab.internal:22'),
    ];
    const first = resolve(account({ endpoints: [a, b, ...agents] }));
    // Only the first endpoint is new: the same group (name key "clinic1"), another spelling, another slug.
    const renamed = { ...a, metadata: JSON.stringify({ siteName: 'Clinic1', deviceName: 'pc' }) };
    const objects = account({ endpoints: [renamed, b, ...agents] });
    const got = resolve(objects, { previous: first.sites });
    const expected = (await freshResolver())(structuredClone(objects), {
      previous: structuredClone(first.sites),
    });
    expect(got).toEqual(expected);
    expect(got.sites.map((s) => [s.id, s.name])).toContainEqual(['clinic1', 'Clinic1']);
  });
});
