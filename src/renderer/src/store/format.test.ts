import { describe, expect, it } from 'vitest';
import { durationWords, offlineWhy, progressWords, relativeTime } from './format';

describe('words for the UI', () => {
  it('says how far a sync is and how long is left at the rate limit', () => {
    const base = { workspaceId: 'w', resource: 'endpoints', pagesDone: 3, pagesEstimated: 10, done: false };
    expect(progressWords(base).text).toBe('Syncing endpoints: 3 of 10 requests');
    expect(progressWords({ ...base, requestsDone: 140, requestsNeeded: 355, etaMs: 107_500 })).toEqual({
      done: 140,
      total: 355,
      text: 'Syncing endpoints: 140 of 355 requests, about 1 min 48 s left',
    });
  });

  it('tells times relative to now', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(relativeTime(null, now)).toBe('never');
    expect(relativeTime('2026-11-29T11:59:40Z', now)).toBe('just now');
    expect(relativeTime('2026-11-29T11:55:00Z', now)).toBe('5 min ago');
    expect(relativeTime('2026-11-29T09:00:00Z', now)).toBe('3 h ago');
    expect(durationWords(45_000)).toBe('45 s');
  });

  it('says why a service is offline in words', () => {
    expect(offlineWhy({ online: true, offlineReason: null, problem: null })).toBeNull();
    expect(offlineWhy({ online: false, offlineReason: 'refused_by_policy', problem: null })).toBe(
      'its IP restrictions refuse this computer',
    );
  });
});
