import { describe, expect, it } from 'vitest';
import { agentOfflineFailure, hostKeyChangedFailure } from './explain';

const facts = { address: '1.tcp.ngrok.io:21234', allow: [], deny: [] };

describe('failure sentences', () => {
  it('says when an offline agent was last seen in words, not as a UTC stamp', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const failure = agentOfflineFailure(
      { ...facts, agentOnline: false, agentLastSeenAt: '2026-11-30T09:00:00.000Z' },
      now,
    );
    expect(failure.message).toContain("The site's ngrok agent is offline (last seen 3 h ago)");
    expect(failure.message).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(failure.message).toContain('did not dial 1.tcp.ngrok.io:21234');
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
