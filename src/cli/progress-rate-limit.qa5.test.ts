// `sitehop sync`'s progress line (on a terminal) while a 429 is waited out: it says why the count stopped.
import { expect, it } from 'vitest';
import { progressLine } from './progress';

it('says the rate limit is used up and when the next try goes', () => {
  expect(
    progressLine({
      workspaceId: 'ws',
      resource: 'endpoints',
      pagesDone: 0,
      pagesEstimated: 1,
      done: false,
      requestsDone: 0,
      requestsNeeded: 8,
      rateLimitedMs: 60_000,
    }),
  ).toBe(
    "Reading the ngrok account: 0/8 requests; ngrok's rate limit for the account is used up, trying again in 60 s",
  );
});
