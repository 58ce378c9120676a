// Another technician's script spends the account's budget (ngrok's 120 requests a minute are per account): a full
// sync the technician asked for meets 429 on every request and waits the window before each try. Before, its
// progress said nothing of it: "Syncing endpoints: 0 of 8 requests" for minutes, a bar that had just stopped. Now
// each 429 round is said at once, with the wait before the next try, and the saying costs no request; the tries are
// one per collection per window (no tight loop). Real core and client against the sandbox's own rate limit, the
// budget spent with the same key from this test; a loopback server in front counts what the core asked.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Result } from '../../shared/contract';
import type { DirectorySnapshot, SyncProgress, WorkspaceSummary } from '../../shared/directory-types';
import type { AppCore } from '../app-core';
import { LIST_RESOURCES } from '../ngrok/client';
import { callOk, createTestCore } from '../testing/test-core';
import { useRulesAccount } from './testing/sandbox-account';

const MAX_RETRIES = 2;
/** The core's idea of ngrok's window, shortened so the test waits seconds; the sandbox keeps a whole minute. */
const WINDOW_MS = 1500;
let home: string;
let core: AppCore;

const rules = useRulesAccount({ rateLimit: { max: 20, windowMs: 60_000 } });
const API_KEY = rules.apiKey;
beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-rate-limited-'));
  core = createTestCore(home, {
    keychainService: rules.keychainService,
    ngrok: { maxRetries: MAX_RETRIES, rateLimit: { max: 120, windowMs: WINDOW_MS } },
  });
});
afterAll(async () => {
  await core?.close();
  rmSync(home, { recursive: true, force: true });
});

const call = <T>(name: string, input: unknown): Promise<T> => callOk<T>(core, name, input);

it('a full sync in a 429 storm says the rate limit and its wait at each round, and tries once per window', async () => {
  const proxy = rules.proxy();
  const ws = await call<WorkspaceSummary>('workspace.add', {
    name: 'Acme',
    apiUrl: proxy.url,
    apiKey: API_KEY,
  });
  const good = await call<DirectorySnapshot>('directory.sync', { workspaceId: ws.id });

  // Another technician's script spends the rest of the minute's budget with the same key.
  for (;;) {
    const r = await fetch(`${rules.sandbox().apiUrl}/tunnel_sessions`, {
      headers: { authorization: `Bearer ${API_KEY}`, 'ngrok-version': '2' },
    });
    if (r.status === 429) break;
  }

  const progress: SyncProgress[] = [];
  core.hub.subscribe((name, payload) => {
    if (name === 'directory.progress') progress.push(payload as SyncProgress);
  });
  const before = proxy.seen.length;
  const failed = (await core.dispatch('directory.sync', { workspaceId: ws.id })) as Result<DirectorySnapshot>;
  expect(failed.ok).toBe(false);
  if (!failed.ok) expect(failed.error.message).toMatch(/rate limit/);

  // Said at each round that is waited out, with the wait (about the window), never past it.
  const said = progress.filter((p) => p.rateLimitedMs !== undefined);
  expect(said.length).toBeGreaterThan(0);
  for (const p of said) {
    expect(p).toMatchObject({ workspaceId: ws.id, mode: 'full', done: false, requestsDone: 0 });
    expect(p.rateLimitedMs).toBeGreaterThan(0);
    expect(p.rateLimitedMs).toBeLessThanOrEqual(WINDOW_MS);
  }
  // Each collection asked 1 + MAX_RETRIES times, no more: one try per window, and the reports cost nothing.
  const asked = proxy.seen.slice(before).map((r) => new URL(r.url, proxy.url).pathname);
  expect(asked).toHaveLength(LIST_RESOURCES.length * (1 + MAX_RETRIES));

  const after = await call<DirectorySnapshot>('directory.get', { workspaceId: ws.id });
  expect(after.syncedAt).toBe(good.syncedAt);
  expect(after.sites.length).toBe(good.sites.length);
}, 60_000);
