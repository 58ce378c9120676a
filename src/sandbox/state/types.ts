// The sandbox's state: ngrok's own object shapes (src/core/ngrok/types.ts) plus a small, clearly separate
// `sandbox` section for what the real API has no field for (which agents are offline, a label per agent).
import { ACCOUNT_COLLECTIONS, type AccountCollection, type AccountObjects } from '../../core/ngrok/types';

export const COLLECTIONS = ACCOUNT_COLLECTIONS;
export type CollectionName = AccountCollection;
export type ItemOf<C extends CollectionName> = AccountObjects[C][number];
export type AnyItem = ItemOf<CollectionName>;

export interface SandboxExtras {
  /** Tunnel sessions whose agent is disconnected: the session and its agent endpoints are not listed. */
  offline_tunnel_sessions?: string[];
  /** A human label (usually the site name) per tunnel session id, for the admin API and logs. */
  agent_labels?: Record<string, string>;
}

/**
 * What `--state FILE` holds and `GET /_sandbox/state` returns. Every collection is optional (missing = empty).
 * Credentials may carry `token`: the sandbox remembers it as an agent authtoken (a bearer that is one gets
 * ERR_NGROK_206) and never returns it, as ngrok returns a token only on create.
 */
export type SandboxStateFile = Partial<AccountObjects> & { sandbox?: SandboxExtras };
