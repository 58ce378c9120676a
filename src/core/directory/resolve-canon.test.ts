// Swapping a new listing's records for equal earlier ones (resolve-canon.ts) is only sound if the resolver reads no
// field outside READ_FIELDS, and only useful if it makes a re-resolve of new, equal objects reuse the last output.
import { describe, expect, it, vi } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { SandboxStore } from '../../sandbox/state/store';
import type { SandboxStateFile } from '../../sandbox/state/types';
import { ACCOUNT_COLLECTIONS } from '../ngrok/types';
import type { AccountObjects } from '../ngrok/types';
import type { resolveDirectory as Resolve } from './resolve';
import { READ_FIELDS } from './resolve-read';
import type { AccountLists } from './resolve-read';
import { fidelityState } from './testing/fidelity-account';

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
