// An ngrok API that accepts and never answers (a hanging proxy, a half-dead link): the sync tries each request again
// after its timeout, and the first try that times out is said at once in the sync's progress ("unanswered"), not
// after every try has failed. Through the real core, client and a real loopback HTTP server in front of the sandbox;
// the requests the server saw are counted: the report adds none.
import type { ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { serviceRows } from '../../cli/commands/devices';
import type { Result } from '../../shared/contract';
import type { DirectorySnapshot, SyncProgress, WorkspaceSummary } from '../../shared/directory-types';
import { RULES_EXPECTED } from '../../test-support/sync-e2e.fixture';
import type { AppCore } from '../app-core';
import { LIST_RESOURCES } from '../ngrok/client';
import { callOk, createTestCore } from '../testing/test-core';
import { useRulesAccount } from './testing/sandbox-account';

const MAX_RETRIES = 2;
let hang = false;
const hanging: ServerResponse[] = [];
let home: string;
let core: AppCore;

const rules = useRulesAccount({
  // Accepted, read, and never answered.
  front: (_req, res, passOn) => (hang ? void hanging.push(res) : passOn()),
});
const { keychainService } = rules;
afterAll(() => {
  for (const res of hanging) res.destroy();
});
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-no-answer-'));
  core = createTestCore(home, {
    keychainService,
    // 1 s per try (15 s in the app) and two more tries (three in the app): the same path, in seconds.
    ngrok: { maxRetries: MAX_RETRIES, timeoutMs: 1000 },
  });
});
afterEach(async () => {
  await core.close();
  rmSync(home, { recursive: true, force: true });
});

const call = <T>(name: string, input: unknown): Promise<T> => callOk<T>(core, name, input);

it('a hanging API is said after the first timed-out try, the saved directory stays usable, no extra request', async () => {
  hang = false;
  const proxy = rules.proxy();
  const ws = await call<WorkspaceSummary>('workspace.add', {
    name: 'Acme',
    apiUrl: proxy.url,
    apiKey: rules.apiKey,
  });
  const good = await call<DirectorySnapshot>('directory.sync', { workspaceId: ws.id });

  const progress: SyncProgress[] = [];
  core.hub.subscribe((name, payload) => {
    if (name === 'directory.progress') progress.push(payload as SyncProgress);
  });
  hang = true;
  const before = proxy.seen.length;
  const syncing = core.dispatch('directory.sync', { workspaceId: ws.id }) as Promise<
    Result<DirectorySnapshot>
  >;

  // Said once the first try has timed out, while the second has not (the sync is still at its first tries).
  await expect.poll(() => progress.find((p) => p.unanswered !== undefined), { timeout: 10_000 }).toBeTruthy();
  const first = progress.find((p) => p.unanswered !== undefined)!;
  expect(first).toMatchObject({ workspaceId: ws.id, unanswered: 1, done: false, requestsDone: 0 });
  expect(proxy.seen.length - before).toBeLessThanOrEqual(LIST_RESOURCES.length);
  // Meanwhile the saved directory answers, with the sync under way.
  const during = await call<DirectorySnapshot>('directory.get', { workspaceId: ws.id });
  expect(during.sync.status).toBe('syncing');
  expect(serviceRows(during)).toEqual(RULES_EXPECTED);

  const failed = await syncing;
  expect(failed.ok).toBe(false);
  if (!failed.ok) expect(failed.error.message).toMatch(/did not answer within/);
  // Each collection's first page asked 1 + MAX_RETRIES times, no more: the reports cost no request.
  const asked = proxy.seen.slice(before).map((r) => new URL(r.url, proxy.url).pathname);
  expect(asked).toHaveLength(LIST_RESOURCES.length * (1 + MAX_RETRIES));
  for (const resource of LIST_RESOURCES)
    expect(asked.filter((p) => p.endsWith(`/${resource}`))).toHaveLength(1 + MAX_RETRIES);
  // Each later timed-out try is said too, with its count; the last try's timeout ends the sync instead.
  expect(Math.max(...progress.map((p) => p.unanswered ?? 0))).toBe(MAX_RETRIES);

  const after = await call<DirectorySnapshot>('directory.get', { workspaceId: ws.id });
  expect(after.sync.status).toBe('offline');
  expect(after.syncedAt).toBe(good.syncedAt);
  expect(serviceRows(after)).toEqual(RULES_EXPECTED);
}, 60_000);
