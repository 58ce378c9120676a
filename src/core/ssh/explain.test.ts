import { describe, expect, it } from 'vitest';
import { agentOfflineFailure, hostKeyChangedFailure } from './explain';

const facts = { address: '1.tcp.ngrok.io:21234', allow: [], deny: [] };

describe('failure sentences', () => {
  it('says when an offline agent was last seen in words and local clock time, not as a UTC stamp', () => {
    // Local times, so the test holds in any time zone.
    const now = new Date(2026, 10, 30, 12, 53).getTime();
    const seen = new Date(2026, 10, 30, 9, 53).toISOString();
    const failure = agentOfflineFailure({ ...facts, agentOnline: false, agentLastSeenAt: seen }, now);
    expect(failure.message).toContain("The site's ngrok agent is offline (last seen 3 h ago, at 09:53)");
    expect(failure.message).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(failure.message).toContain('did not dial 1.tcp.ngrok.io:21234');
  });

  it('names the date when the agent was last seen before today (and the year before this year)', () => {
    const now = new Date(2026, 10, 30, 8, 0).getTime();
    const yesterday = new Date(2026, 10, 29, 21, 5).toISOString();
    expect(
      agentOfflineFailure({ ...facts, agentOnline: false, agentLastSeenAt: yesterday }, now).message,
    ).toMatch(/\(last seen .+ ago, at 21:05 on 29 Nov\)/);
    const lastYear = new Date(2025, 11, 31, 23, 59).toISOString();
    expect(
      agentOfflineFailure({ ...facts, agentOnline: false, agentLastSeenAt: lastYear }, now).message,
    ).toMatch(/\(last seen .+ ago, at 23:59 on 31 Dec 2025\)/);
  });

  it('leaves the time out when the agent was never seen', () => {
    const failure = agentOfflineFailure({ ...facts, agentOnline: false, agentLastSeenAt: null });
    expect(failure.message).toMatch(/^The site's ngrok agent is offline, so nothing can reach this device/);
  });

  it('a changed host key says where to replace the pin in words a technician finds, not a contract call', () => {
    const failure = hostKeyChangedFailure('SHA256:old', 'SHA256:new', 'ssh-ed25519');
    expect(failure.message).toContain('Pinned: SHA256:old; now offered: SHA256:new (ssh-ed25519)');
    expect(failure.message).toContain("the device's details: Forget host key");
    expect(failure.message).not.toContain('hostKeys.forget');
  });
});
