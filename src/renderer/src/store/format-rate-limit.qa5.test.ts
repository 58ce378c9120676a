// The words a 429 wait is shown in the app's sync bar, counting down between reports.
import { expect, it } from 'vitest';
import type { SyncProgress } from '../../../shared/directory-types';
import { progressWords } from './format';

const waiting: SyncProgress = {
  workspaceId: 'ws',
  resource: 'endpoints',
  pagesDone: 0,
  pagesEstimated: 1,
  done: false,
  mode: 'full',
  requestsDone: 0,
  requestsNeeded: 8,
  rateLimitedMs: 60_000,
};

it('says the rate limit is used up and counts down to the next try', () => {
  expect(progressWords(waiting).text).toBe(
    "ngrok's rate limit for this account is used up (other technicians or scripts share it); SiteHop tries again in 1 min (0 of 8 requests)",
  );
  expect(progressWords(waiting, 15_000).text).toContain('tries again in 45 s (0 of 8 requests)');
  expect(progressWords(waiting, 60_000).text).toContain('SiteHop is trying again (0 of 8 requests)');
});

it('the next answer ends it: a report without the wait reads as progress again', () => {
  const { rateLimitedMs: _gone, ...answered } = waiting;
  expect(progressWords({ ...answered, requestsDone: 1 }).text).toBe('Syncing endpoints: 1 of 8 requests');
});
