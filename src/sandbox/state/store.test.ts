// The store: visibility of offline agents, stable paging across changes, the EdgeView the edge reads.
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../core/ngrok/types';
import { cloudEndpoints } from '../test-helpers';
import { SandboxStore } from './store';
import type { SandboxStateFile } from './types';

const agentEp = (id: string, url: string, ts: string, created: string): Endpoint => ({
  id,
  type: 'agent',
  url,
  created_at: created,
  bindings: ['internal'],
  upstream_url: 'tcp://127.0.0.1:2222',
  tunnel_session: { id: ts, uri: '' },
});

function state(): SandboxStateFile {
  return {
    endpoints: [
      ...cloudEndpoints(3),
      agentEp('ep_a1', 'tcp://frontdesk.clinic1.internal:22', 'ts_1', '2025-04-01T00:00:00Z'),
      agentEp('ep_a2', 'tcp://xray.clinic2.internal:22', 'ts_2', '2025-04-02T00:00:00Z'),
    ],
    tunnel_sessions: [
      { id: 'ts_1', started_at: '2025-04-01T00:00:00Z' },
      { id: 'ts_2', started_at: '2025-04-02T00:00:00Z' },
    ],
    credentials: [{ id: 'cr_1', token: 'secret-authtoken' }],
    sandbox: { agent_labels: { ts_1: 'Clinic 1' } },
  };
}

describe('SandboxStore', () => {
  it('hides an offline agent’s session and agent endpoints, and shows them again when it returns', () => {
    const store = new SandboxStore(state());
    let changes = 0;
    const off = store.onChange(() => changes++);
    expect(store.findAgentEndpoint('tcp://frontdesk.clinic1.internal:22')).toEqual({
      upstream_url: 'tcp://127.0.0.1:2222',
    });
    expect(store.setAgentOnline('ts_1', false)).toBe(true);
    expect(store.list('tunnel_sessions').map((t) => t.id)).toEqual(['ts_2']);
    expect(store.get('endpoints', 'ep_a1')).toBeUndefined();
    expect(store.findAgentEndpoint('tcp://frontdesk.clinic1.internal:22')).toBeUndefined();
    expect(store.cloudEndpoints()).toHaveLength(3);
    expect(store.findAgent('clinic 1')!.online).toBe(false);
    store.setAgentOnline('ts_1', true);
    expect(store.get('endpoints', 'ep_a1')).toBeDefined();
    expect(changes).toBe(2);
    off();
    store.setAgentOnline('ts_1', false);
    expect(changes).toBe(2);
    expect(store.setAgentOnline('ts_nope', false)).toBe(false);
  });

  it("re-creates an agent's endpoints on reconnect, as ngrok does: new created_at (and started_at), listed first", () => {
    const store = new SandboxStore(state());
    store.setAgentOnline('ts_1', false);
    const at = Date.parse('2030-05-01T10:00:00.700Z');
    store.setAgentOnline('ts_1', true, at);
    expect(store.get('endpoints', 'ep_a1')!.created_at).toBe('2030-05-01T10:00:00Z');
    expect(store.get('tunnel_sessions', 'ts_1')!.started_at).toBe('2030-05-01T10:00:00Z');
    expect(store.list('tunnel_sessions')[0]!.id).toBe('ts_1');
    const agentIds = store.agents().find((a) => a.tunnel_session_id === 'ts_1')!.agent_endpoint_ids;
    const newest = store
      .list('endpoints')
      .slice(0, agentIds.length)
      .map((e) => e.id);
    expect(newest.sort()).toEqual([...agentIds].sort());
  });

  it('keeps a before_id usable after its object went away', () => {
    const store = new SandboxStore(state());
    const first = store.page('endpoints', { limit: 2 });
    expect(first.ok && first.items.map((e) => e.id)).toEqual(['ep_a2', 'ep_a1']);
    store.setAgentOnline('ts_1', false);
    const next = store.page('endpoints', { beforeId: 'ep_a1', limit: 10 });
    expect(next.ok && next.items).toHaveLength(3);
    expect(store.page('endpoints', { beforeId: 'ep_never', limit: 10 }).ok).toBe(false);
  });

  it('adds and removes endpoints, and snapshots the whole state without listed tokens leaking', () => {
    const store = new SandboxStore(state());
    store.upsertEndpoint({
      id: 'ep_new',
      type: 'cloud',
      url: 'tcp://127.0.0.1:1',
      created_at: '2026-01-01T00:00:00Z',
    });
    expect(store.list('endpoints')[0]!.id).toBe('ep_new');
    expect(store.cloudEndpoints().map((e) => e.id)).toContain('ep_new');
    expect(store.removeEndpoint('ep_new')).toBe(true);
    expect(store.removeEndpoint('ep_new')).toBe(false);
    store.setAgentOnline('ts_2', false);
    const snap = store.snapshot();
    expect(snap.endpoints).toHaveLength(5);
    expect(snap.sandbox!.offline_tunnel_sessions).toEqual(['ts_2']);
    expect(JSON.stringify(snap)).not.toContain('secret-authtoken');
    expect(store.authtokens.has('secret-authtoken')).toBe(true);
    expect(new SandboxStore(snap).list('tunnel_sessions').map((t) => t.id)).toEqual(['ts_1']);
  });

  it('rejects objects without ids and duplicate ids', () => {
    expect(() => new SandboxStore({ endpoints: [{ url: 'x' }] })).toThrow(/id/);
    expect(() => new SandboxStore({ credentials: [{ id: 'cr_1' }, { id: 'cr_1' }] })).toThrow(/duplicate/);
  });
});
