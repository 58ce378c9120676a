// The plan store (resolve-plan-store.ts): a process seeded with the plans another process wrote resolves exactly
// as a fresh process does, and a store that is not exactly what was written (damaged, another planner version,
// another account) seeds nothing. The file-system side (written and read with the kept account) is in cache.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { generateFleet } from '../../sandbox/generate/fleet';
import { SandboxStore } from '../../sandbox/state/store';
import type { SandboxStateFile } from '../../sandbox/state/types';
import { ACCOUNT_COLLECTIONS } from '../ngrok/types';
import type { AccountObjects } from '../ngrok/types';
import { fidelityState } from './testing/fidelity-account';

function objectsOf(state: SandboxStateFile): AccountObjects {
  const store = new SandboxStore(state);
  return Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, store.list(c)])) as unknown as AccountObjects;
}

/** A new process, as far as the resolver's memos go. */
async function fresh() {
  vi.resetModules();
  return {
    ...(await import('./resolve')),
    ...(await import('./resolve-plan-store')),
    ...(await import('./resolve-policy')),
  };
}

const fidelity = (): AccountObjects => objectsOf(fidelityState({ edge: 'fake' }) as SandboxStateFile);
const fleet = (): AccountObjects =>
  objectsOf(generateFleet({ sites: 10, devices: 120, seed: 21, edgeHost: '1.tcp.ngrok.io' }));

describe('plan store', () => {
  it.each([
    ['the fidelity account', fidelity],
    ['a generated fleet', fleet],
  ])('%s: a process seeded from the store resolves as a fresh one', async (_name, make) => {
    const objects = make();
    const writer = await fresh();
    const written = writer.resolveDirectory(structuredClone(objects));
    const text = writer.planStoreText(objects);
    expect(text).not.toBeNull();

    const reader = await fresh();
    const seeded = reader.seedPlanStore(objects, text as string);
    expect(seeded).toMatchObject({ seeded: expect.any(Number) });
    expect((seeded as { seeded: number }).seeded).toBeGreaterThan(0);
    const policy = objects.endpoints.find((e) => typeof e.traffic_policy === 'string')
      ?.traffic_policy as string;
    const [seededPlan] = reader.knownPlans(policy);
    expect(seededPlan).toBeDefined();
    const got = reader.resolveDirectory(structuredClone(objects));
    // The seeded plan was used, not made again.
    expect(reader.knownPlans(policy)[0]?.[1]).toBe(seededPlan?.[1]);
    expect(got).toEqual(written);
    expect(got).toEqual((await fresh()).resolveDirectory(structuredClone(objects)));
  });

  it('seeds nothing from a damaged, foreign or other-version store, and says why', async () => {
    const objects = fidelity();
    const writer = await fresh();
    writer.resolveDirectory(objects);
    const text = writer.planStoreText(objects) as string;
    const [header, body] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
    const withHeader = (h: Record<string, unknown>, b = body): string =>
      `${JSON.stringify({ ...(JSON.parse(header) as object), ...h })}\n${b}`;
    const sum = (b: string): string => createHash('sha256').update(b).digest('base64url');
    const otherShape = JSON.stringify([['tcp', 'x', { kind: 'routes', routes: [] }]]);
    const cases: Array<[string, string]> = [
      ['', 'no header'],
      ['garbage', 'no header'],
      [text.slice(0, text.length - 10), 'checksum mismatch'],
      [text.replace('"kind":"routes"', '"kind":"ROUTES"'), 'checksum mismatch'],
      [withHeader({ planner: 999 }), 'another planner version'],
      [withHeader({ store: 999 }), 'another store version'],
      [withHeader({ checksum: sum(otherShape) }, otherShape), 'an entry has another shape'],
      [withHeader({ checksum: sum('{}') }, '{}'), 'not a list'],
    ];
    for (const [damaged, problem] of cases) {
      const reader = await fresh();
      expect(reader.seedPlanStore(objects, damaged)).toEqual({ problem });
      const policy = objects.endpoints.find((e) => typeof e.traffic_policy === 'string')
        ?.traffic_policy as string;
      expect(reader.knownPlans(policy)).toEqual([]);
    }
    // Another account's store: none of its digests matches this account's policies.
    const other = fleet();
    const reader = await fresh();
    expect(reader.seedPlanStore(other, text)).toEqual({ seeded: 0 });
  });

  it('pins the planner: the plans of sample policies are the recorded ones for PLANNER_VERSION', async () => {
    // A changed digest means plans made from the same text changed: bump PLANNER_VERSION (stores written by the
    // old planner are then not used) and record the new digest here.
    const { planOf, PLANNER_VERSION } = await fresh();
    const texts = new Set<string>();
    for (const objects of [fidelity(), fleet()])
      for (const e of objects.endpoints)
        if (typeof e.traffic_policy === 'string') texts.add(e.traffic_policy);
    const rows = [...texts]
      .sort()
      .flatMap((t) =>
        ['tcp', 'tls', 'https'].map((scheme) => JSON.stringify([scheme, t, planOf(t, scheme)])),
      );
    const digest = createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16);
    expect({ PLANNER_VERSION, digest }).toEqual({ PLANNER_VERSION: 1, digest: '5cc983459354243c' });
  });
});
