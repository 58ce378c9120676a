// The filter subset: the documented examples select what they should; everything else is a FilterSyntaxError.
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../core/ngrok/types';
import { compileFilter, FilterSyntaxError } from './compile';

const eps: Endpoint[] = [
  {
    id: 'ep_1',
    type: 'cloud',
    url: 'tcp://1.tcp.ngrok.io:12345',
    bindings: ['public'],
    metadata: '{"site":"clinic1"}',
    pooling_enabled: false,
  },
  {
    id: 'ep_2',
    type: 'agent',
    url: 'tcp://frontdesk.clinic1.internal:3389',
    bindings: ['internal'],
    principal: { id: 'service_9', uri: '' },
  },
  {
    id: 'ep_3',
    type: 'ephemeral',
    url: 'tcp://xray.clinic1.internal:22',
    bindings: ['internal'],
    pooling_enabled: true,
  },
  { id: 'ep_4', type: 'edge', url: 'https://a.example' },
];

function select(filter: string): string[] {
  const p = compileFilter('endpoints', filter);
  return eps.filter(p).map((e) => e.id!);
}

describe('compileFilter', () => {
  it.each([
    ['obj.type == "cloud" || obj.type == "agent"', ['ep_1', 'ep_2']],
    ['"internal" in obj.bindings', ['ep_2', 'ep_3']],
    ['obj.type in ["agent","cloud"]', ['ep_1', 'ep_2']],
    ["obj.url == 'tcp://1.tcp.ngrok.io:12345'", ['ep_1']],
    ['obj.metadata == "{\\"site\\":\\"clinic1\\"}"', ['ep_1']],
    ['obj.metadata == ""', ['ep_2', 'ep_3', 'ep_4']],
    ['obj.metadata == null', ['ep_2', 'ep_3', 'ep_4']],
    ['obj.metadata != null', ['ep_1']],
    ['!(obj.type == "cloud") && obj.type != "edge"', ['ep_2', 'ep_3']],
    ['obj.pooling_enabled', ['ep_3']],
    ['!obj.pooling_enabled && "internal" in obj.binding', ['ep_2']],
    ['obj.principal.id == "service_9"', ['ep_2']],
    ['obj.id >= "ep_3"', ['ep_3', 'ep_4']],
    ['(obj.type == "agent" || obj.type == "ephemeral") && obj.url != ""', ['ep_2', 'ep_3']],
    ['true', ['ep_1', 'ep_2', 'ep_3', 'ep_4']],
    ['obj.bindings == ["public"]', ['ep_1']],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it.each([
    '',
    'obj.type ==',
    'obj.type = "cloud"',
    'obj.nope == "x"',
    'obj.type',
    'obj',
    'type == "cloud"',
    'obj.url.startsWith("tcp")',
    'size(obj.bindings) > 0',
    'obj.bindings[0] == "public"',
    'obj.port + 1 == 2',
    'obj.type == 1',
    'obj.type in "cloud"',
    'obj.type == "cloud" && obj.url',
    '"unterminated',
    'obj.type == "a" ? 1 : 2',
    '((((obj.type == "cloud"))',
    `${'('.repeat(200)}true${')'.repeat(200)}`,
    'obj.created_at > "2025-01-01T00:00:00Z"',
    'obj.created_at > timestamp("2025-01-01")',
    'obj.created_at > timestamp("yesterday")',
    'obj.created_at > timestamp(obj.id)',
    'obj.created_at > timestamp(time.now).minus("1h")',
    'obj.created_at > timestamp(time.now).subtract("a week")',
    'obj.created_at > time.now',
  ])('rejects %j', (filter) => {
    expect(() => compileFilter('endpoints', filter)).toThrow(FilterSyntaxError);
  });

  it('compares created_at / started_at as timestamps, as ngrok documents (timestamp("RFC3339"), time.now ± a duration)', () => {
    const stamped = [
      { id: 'ep_a', created_at: '2026-01-01T00:00:00Z' },
      { id: 'ep_b', created_at: '2026-01-01T00:00:01Z' },
      { id: 'ep_c', created_at: '2026-01-02T12:00:00Z' },
      { id: 'ep_d' },
    ] as Endpoint[];
    const pick = (f: string, now = Date.parse('2026-01-02T12:30:00Z')): string[] =>
      stamped.filter(compileFilter('endpoints', f, () => now)).map((e) => e.id!);
    expect(pick('obj.created_at > timestamp("2026-01-01T00:00:00Z")')).toEqual(['ep_b', 'ep_c']);
    expect(pick('obj.created_at >= timestamp("2026-01-01T00:00:00Z")')).toEqual(['ep_a', 'ep_b', 'ep_c']);
    // Offsets and fractions are the same instant, not the same string.
    expect(pick('obj.created_at == timestamp("2026-01-01T01:00:01.000+01:00")')).toEqual(['ep_b']);
    expect(pick('timestamp("2026-01-01T00:00:00.5Z") < obj.created_at')).toEqual(['ep_b', 'ep_c']);
    expect(pick('obj.created_at > timestamp(time.now).subtract("1h")')).toEqual(['ep_c']);
    expect(pick('obj.created_at > timestamp(time.now).subtract("2d")')).toEqual(['ep_a', 'ep_b', 'ep_c']);
    expect(pick('obj.created_at < timestamp(time.now).subtract("1d").add("1h30m")')).toEqual([
      'ep_a',
      'ep_b',
      'ep_d',
    ]);
    // Unset reads as the epoch (proto default), so it is older than anything.
    expect(pick('obj.created_at < timestamp("1971-01-01T00:00:00Z")')).toEqual(['ep_d']);
    const sessions = [{ id: 'ts_1', started_at: '2026-01-01T00:00:00Z' }];
    expect(
      sessions.filter(compileFilter('tunnel_sessions', 'obj.started_at > timestamp("2025-12-31T23:59:59Z")')),
    ).toHaveLength(1);
  });

  it('knows each collection’s documented fields and refuses bot users', () => {
    expect(() =>
      compileFilter('tunnel_sessions', 'obj.credential == "cr_1" && obj.os == "linux"'),
    ).not.toThrow();
    expect(() =>
      compileFilter('credentials', '"bind:*.clinic1.internal" in obj.acl && obj.owner_id == "bot_1"'),
    ).not.toThrow();
    expect(() => compileFilter('reserved_addrs', 'obj.region == "eu"')).not.toThrow();
    expect(() => compileFilter('service_users', 'obj.name == "x"')).toThrow(/fields are: created_at, id/);
    expect(() => compileFilter('bot_users', 'obj.id == "x"')).toThrow(/does not support filtering/);
  });
});
