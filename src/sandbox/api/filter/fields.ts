// The fields each collection can be filtered on, as documented (ngrok's API filtering page; docs/ngrok-api.md §3).
// Bot users are not filterable on ngrok, so they have no entry.
import type { AnyItem, CollectionName } from '../../state/types';

export type FieldType = 'string' | 'bool' | 'list' | 'timestamp';

export interface FieldDef {
  type: FieldType;
  get(item: AnyItem): unknown;
}

const prop =
  (name: string) =>
  (item: AnyItem): unknown =>
    (item as Record<string, unknown>)[name];
const refId =
  (name: string) =>
  (item: AnyItem): unknown =>
    ((item as Record<string, unknown>)[name] as { id?: unknown } | undefined)?.id;

// created_at / started_at are protobuf Timestamps in ngrok's CEL: compared with timestamp("…"), not with strings.
const TIMESTAMPS = new Set(['created_at', 'started_at']);
const s = (names: string[]): Record<string, FieldDef> =>
  Object.fromEntries(
    names.map((n) => [
      n,
      { type: TIMESTAMPS.has(n) ? ('timestamp' as const) : ('string' as const), get: prop(n) },
    ]),
  );

export const FILTER_FIELDS: Partial<Record<CollectionName, Record<string, FieldDef>>> = {
  endpoints: {
    ...s(['id', 'created_at', 'description', 'metadata', 'type', 'url', 'scheme', 'region', 'name']),
    'principal.id': { type: 'string', get: refId('principal') },
    pooling_enabled: { type: 'bool', get: prop('pooling_enabled') },
    bindings: { type: 'list', get: prop('bindings') },
    // The docs' field table says `binding` while their examples use `obj.bindings`; accept both.
    binding: { type: 'list', get: prop('bindings') },
  },
  reserved_addrs: s(['id', 'created_at', 'description', 'metadata', 'addr', 'region']),
  tunnel_sessions: {
    ...s(['id', 'metadata', 'agent_version', 'ip', 'os', 'region', 'started_at']),
    // `credential` is a Ref; the filter compares its id.
    credential: { type: 'string', get: refId('credential') },
    'credential.id': { type: 'string', get: refId('credential') },
  },
  credentials: {
    ...s(['id', 'created_at', 'description', 'metadata', 'owner_id']),
    acl: { type: 'list', get: prop('acl') },
  },
  service_users: s(['id', 'created_at']),
};
