// The drop check's budget rules on a directory stand-in that counts checks (the real core, sandbox and sshd are in
// session-manager-drop.sshd.test.ts): tabs of one service share one check, in flight and for a while after; a
// rate-limited account, a sync in flight and a check that just got no answer send none; a dial of the service takes
// the answer of the request a drop check sent (in flight or fresh) instead of its own.
import { describe, expect, it } from 'vitest';
import type { Service } from '../../shared/directory-types';
import type { ServiceCheck, SyncHealth } from '../directory/sync-service';
import { createDropCheck } from './drop-check';

const service = { id: 'lab/a/ssh', online: false } as Service;

function stand(answer: (id: string) => ServiceCheck = () => ({ state: 'offline', checked: true, service })) {
  const clock = { t: 1_000_000 };
  const health: SyncHealth = { inFlight: false, failures: 0, lastAttemptAt: null, syncedAt: null };
  /** The account each workspace reaches (none known: a workspace is its own). */
  const accounts = new Map<string, string>();
  const asked: string[] = [];
  const drop = createDropCheck(
    {
      health: (ws) => ({ ...health, account: accounts.get(ws) ?? null }),
      checkService: async (ws, id) => {
        asked.push(ws === 'ws' ? id : `${ws}:${id}`);
        await new Promise((r) => setTimeout(r, 5));
        return answer(id);
      },
    },
    { now: () => clock.t, reuseMs: 10_000, quietMs: 60_000 },
  );
  return { clock, health, accounts, asked, check: drop.explain, shared: drop.shared };
}

describe('drop check', () => {
  it('one request for every tab of a service, at once and within the reuse window; another after it', async () => {
    const s = stand();
    const answers = await Promise.all([s.check('ws', 'lab/a/ssh'), s.check('ws', 'lab/a/ssh')]);
    expect(answers.map((a) => a?.state)).toEqual(['offline', 'offline']);
    s.clock.t += 5_000;
    expect((await s.check('ws', 'lab/a/ssh'))?.state).toBe('offline');
    expect(s.asked).toEqual(['lab/a/ssh']);
    s.clock.t += 10_000;
    await s.check('ws', 'lab/a/ssh');
    expect(s.asked).toEqual(['lab/a/ssh', 'lab/a/ssh']);
  });

  it('sends nothing while the account is rate-limited or a sync is in flight', async () => {
    const s = stand();
    s.health.notBefore = new Date(s.clock.t + 30_000);
    expect(await s.check('ws', 'lab/a/ssh')).toBeNull();
    s.health.notBefore = null;
    s.health.inFlight = true;
    expect(await s.check('ws', 'lab/b/ssh')).toBeNull();
    expect(s.asked).toEqual([]);
  });

  it('after a check that got no answer, none for the workspace until the quiet time has passed', async () => {
    const s = stand((id) =>
      id === 'lab/a/ssh'
        ? { state: 'online', checked: false, service }
        : { state: 'offline', checked: true, service },
    );
    const [a, b] = await Promise.all([s.check('ws', 'lab/a/ssh'), s.check('ws', 'lab/b/ssh')]);
    expect([a, b]).toEqual([null, null]);
    expect(s.asked).toEqual(['lab/a/ssh']);
    // Another workspace (another account, maybe) is asked.
    expect((await s.check('other', 'lab/b/ssh'))?.state).toBe('offline');
    s.clock.t += 60_001;
    expect((await s.check('ws', 'lab/b/ssh'))?.state).toBe('offline');
    expect(s.asked).toEqual(['lab/a/ssh', 'other:lab/b/ssh', 'lab/b/ssh']);
  });

  it("a dial takes the answer of the drop check's request in flight, or fresh unless it refuses, even one that got no answer", async () => {
    const s = stand((id) =>
      id === 'lab/a/ssh'
        ? { state: 'offline', checked: true, service }
        : { state: 'online', checked: false, service },
    );
    expect(await s.shared('ws', 'lab/a/ssh')).toBeNull();
    const explained = s.check('ws', 'lab/a/ssh');
    expect((await s.shared('ws', 'lab/a/ssh'))?.state).toBe('offline');
    await explained;
    // Already in and saying offline: a Reconnect asks whether the agent is back.
    s.clock.t += 5_000;
    expect(await s.shared('ws', 'lab/a/ssh')).toBeNull();
    // The drop check's request got no answer: the dial uses the directory as it is rather than ask again.
    expect(await s.check('ws', 'lab/b/ssh')).toBeNull();
    expect(await s.shared('ws', 'lab/b/ssh')).toMatchObject({ checked: false });
    expect(s.asked).toEqual(['lab/a/ssh', 'lab/b/ssh']);
    s.clock.t += 10_000;
    expect(await s.shared('ws', 'lab/a/ssh')).toBeNull();
  });

  it('a dial checks for itself when the drop check sent nothing (the budget skipped it)', async () => {
    const s = stand();
    s.health.failures = 1;
    const explained = s.check('ws', 'lab/a/ssh');
    expect(await s.shared('ws', 'lab/a/ssh')).toBeNull();
    expect(await explained).toBeNull();
    expect(await s.shared('ws', 'lab/a/ssh')).toBeNull();
    expect(s.asked).toEqual([]);
  });

  it("two workspaces on one account: their checks one at a time, and the quiet after no answer is the account's", async () => {
    const s = stand((id) =>
      id === 'lab/a/ssh'
        ? { state: 'online', checked: false, service }
        : { state: 'offline', checked: true, service },
    );
    s.accounts.set('ws', 'https://api.example#k1');
    s.accounts.set('same', 'https://api.example#k1');
    s.accounts.set('other', 'https://api.example#k2');
    const [a, b, c] = await Promise.all([
      s.check('ws', 'lab/a/ssh'),
      s.check('same', 'lab/b/ssh'),
      s.check('other', 'lab/b/ssh'),
    ]);
    expect([a, b, c?.state]).toEqual([null, null, 'offline']);
    // The account's first check got no answer: its other workspace's was not sent; another account's was.
    expect(s.asked).toEqual(['lab/a/ssh', 'other:lab/b/ssh']);
    s.clock.t += 60_001;
    expect((await s.check('same', 'lab/b/ssh'))?.state).toBe('offline');
  });
});
