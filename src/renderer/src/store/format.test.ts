import { describe, expect, it } from 'vitest';
import {
  durationWords,
  offlineWhy,
  paletteKeys,
  progressWords,
  relativeTime,
  sessionStateWords,
  sshLoginWords,
} from './format';

describe('words for the UI', () => {
  it("says an SSH session's state: a shell that exited ended (its status when not 0), a question waits for the technician", () => {
    expect(sessionStateWords({ state: 'disconnected' })).toBe('Disconnected');
    expect(sessionStateWords({ state: 'disconnected', shellEnded: { exitStatus: 0 } })).toBe('Session ended');
    expect(sessionStateWords({ state: 'disconnected', shellEnded: { exitStatus: null } })).toBe(
      'Session ended',
    );
    expect(sessionStateWords({ state: 'disconnected', shellEnded: { exitStatus: 3 } })).toBe(
      'Session ended (exit status 3)',
    );
    expect(sessionStateWords({ state: 'connecting' }, 'hostKey')).toBe('Connecting: check the host key');
    expect(sessionStateWords({ state: 'authenticating' }, 'password')).toBe(
      'Logging in: waiting for your answer',
    );
    expect(sessionStateWords({ state: 'connected' }, 'password')).toBe('Connected');
  });

  it('says how far a sync is and how long is left at the rate limit', () => {
    const base = { workspaceId: 'w', resource: 'endpoints', pagesDone: 3, pagesEstimated: 10, done: false };
    expect(progressWords(base).text).toBe('Syncing endpoints: 3 of 10 requests');
    expect(progressWords({ ...base, requestsDone: 140, requestsNeeded: 355, etaMs: 107_500 })).toEqual({
      done: 140,
      total: 355,
      text: 'Syncing endpoints: 140 of 355 requests, about 1 min 48 s left',
    });
  });

  it('says the API is not answering once a request has timed out and is tried again', () => {
    const p = { workspaceId: 'w', resource: 'endpoints', pagesDone: 0, pagesEstimated: 1, done: false };
    expect(progressWords({ ...p, requestsDone: 0, requestsNeeded: 6, etaMs: 3000, unanswered: 1 }).text).toBe(
      'The ngrok API is not answering; SiteHop keeps trying (0 of 6 requests)',
    );
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

  it('spells the palette shortcut for the keyboard in use', () => {
    expect(paletteKeys('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36')).toBe(
      'Ctrl+K',
    );
    expect(paletteKeys('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/156.0')).toBe(
      'Ctrl+K',
    );
    expect(
      paletteKeys('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Electron/39'),
    ).toBe('⌘K');
  });
});

it("names the user each SSH service logs in as, in the core's order", () => {
  // The service's own metadata user, not another service's.
  expect(sshLoginWords('', 'alice')).toBe('alice (from ngrok metadata)');
  expect(sshLoginWords('', 'bob')).toBe('bob (from ngrok metadata)');
  // The technician's name comes first, for every service.
  expect(sshLoginWords(' carol ', 'bob')).toBe('carol (typed below; ngrok metadata names bob)');
  expect(sshLoginWords('bob', 'bob')).toBe('bob (typed below)');
  expect(sshLoginWords('carol', null)).toBe('carol (typed below)');
  // No user named: asked, unless a metadata login elsewhere on the device left one the core keeps.
  expect(sshLoginWords('', null)).toBe('asked when connecting');
  expect(sshLoginWords('', undefined, true)).toBe('the user last logged in as here, else asked');
});

it('counts the time left down between progress reports', () => {
  const p = { workspaceId: 'w', resource: 'endpoints', pagesDone: 3, pagesEstimated: 10, done: false };
  const paced = { ...p, requestsDone: 120, requestsNeeded: 122, etaMs: 60_000 };
  expect(progressWords(paced).text).toBe('Syncing endpoints: 120 of 122 requests, about 1 min left');
  expect(progressWords(paced, 2_000).text).toBe('Syncing endpoints: 120 of 122 requests, about 58 s left');
  expect(progressWords(paced, 61_000).text).toBe('Syncing endpoints: 120 of 122 requests');
});
