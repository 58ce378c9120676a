// The progress line `sitehop sync` shows on a terminal during a full sync.
import { describe, expect, it } from 'vitest';
import { formatEta, progressLine } from './sync';

describe('sync progress line', () => {
  it('shows requests done / needed and the time left at the rate limit', () => {
    const base = {
      workspaceId: 'ws_1',
      resource: 'endpoints',
      pagesDone: 3,
      pagesEstimated: 200,
      done: false,
    };
    expect(progressLine({ ...base, requestsDone: 130, requestsNeeded: 357, etaMs: 125_000 })).toBe(
      'Reading the ngrok account: 130/357 requests, about 2 min left',
    );
    expect(progressLine({ ...base, requestsDone: 5, requestsNeeded: 8, etaMs: 0 })).toBe(
      'Reading the ngrok account: 5/8 requests, less than a minute left',
    );
    expect(progressLine(base)).toBeNull();
    expect(formatEta(59_999)).toBe('less than a minute left');
    expect(formatEta(60_000)).toBe('about 1 min left');
  });
});
