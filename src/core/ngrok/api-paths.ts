// The list operations SiteHop reads, typed from the generated OpenAPI document (openapi.gen.ts) plus what that
// snapshot lacks (docs/ngrok-api.md §3, §5.4): the `filter` query parameter and the /service_users path.
import type { operations } from './openapi.gen';
import { ACCOUNT_COLLECTIONS, type AccountCollection } from './types';
import type {
  BotUser,
  BotUserList,
  Credential,
  CredentialList,
  Endpoint,
  EndpointList,
  IPPolicy,
  IPPolicyList,
  IPPolicyRule,
  IPPolicyRuleList,
  ReservedAddr,
  ReservedAddrList,
  ServiceUser,
  ServiceUserList,
  TunnelSession,
  TunnelSessionList,
} from './types';

/** Adds the documented CEL `filter` to an operation's query (bot users ignore it: ngrok does not filter them). */
type WithFilter<Op> = Op extends { parameters: { query?: infer Q; header: infer H } }
  ? Omit<Op, 'parameters'> & {
      parameters: { query?: Q & { filter?: string }; header: H; path?: never; cookie?: never };
    }
  : never;

/** /service_users, hand-written after docs api-reference/service-users.mdx (same shape as /bot_users). */
interface ServiceUsersList {
  parameters: {
    query?: { before_id?: string; limit?: string; filter?: string };
    header: { 'ngrok-version': number };
    path?: never;
    cookie?: never;
  };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ServiceUserList } };
  };
}

export interface ListPaths {
  '/endpoints': { get: WithFilter<operations['EndpointsList']> };
  '/reserved_addrs': { get: WithFilter<operations['ReservedAddrsList']> };
  '/tunnel_sessions': { get: WithFilter<operations['TunnelSessionsList']> };
  '/credentials': { get: WithFilter<operations['CredentialsList']> };
  '/bot_users': { get: WithFilter<operations['BotUsersList']> };
  '/service_users': { get: ServiceUsersList };
  '/ip_policies': { get: WithFilter<operations['IpPoliciesList']> };
  '/ip_policy_rules': { get: WithFilter<operations['IpPolicyRulesList']> };
}

export type ListResource = AccountCollection;

export const LIST_RESOURCES: readonly ListResource[] = ACCOUNT_COLLECTIONS;

interface ItemTypes {
  endpoints: Endpoint;
  reserved_addrs: ReservedAddr;
  tunnel_sessions: TunnelSession;
  credentials: Credential;
  bot_users: BotUser;
  service_users: ServiceUser;
  ip_policies: IPPolicy;
  ip_policy_rules: IPPolicyRule;
}

interface PageTypes {
  endpoints: EndpointList;
  reserved_addrs: ReservedAddrList;
  tunnel_sessions: TunnelSessionList;
  credentials: CredentialList;
  bot_users: BotUserList;
  service_users: ServiceUserList;
  ip_policies: IPPolicyList;
  ip_policy_rules: IPPolicyRuleList;
}

export type ItemOf<R extends ListResource> = ItemTypes[R];
export type PageOf<R extends ListResource> = PageTypes[R];

/** The wrapper key of each list body equals the resource name for every one of these (docs/ngrok-api.md §2). */
export function pathOf<R extends ListResource>(resource: R): `/${R}` {
  return `/${resource}`;
}
