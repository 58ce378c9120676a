// Domain shapes the renderer sees: workspaces, sites, devices, services. Ids and names only, never a secret.
import { z } from 'zod';

export const ServiceKind = z.enum(['ssh', 'rdp', 'web', 'tcp']);
export type ServiceKind = z.infer<typeof ServiceKind>;

export const OfflineReason = z.enum([
  /** The agent serving the target is not connected. */
  'agent_offline',
  /** The cloud endpoint forwards to nothing the account lists. */
  'no_internal_endpoint',
  /** A restrict-ips rule on the way refuses this machine's address. */
  'refused_by_policy',
  /** The endpoint's policy or metadata could not be read (see problem). */
  'unresolved',
]);
export type OfflineReason = z.infer<typeof OfflineReason>;

export const WorkspaceSummary = z.object({
  id: z.string(),
  name: z.string(),
  apiUrl: z.string(),
  /** Where the key comes from: the OS keychain, the environment (scripts/CI), or the built-in demo. */
  source: z.enum(['keychain', 'env', 'demo']),
  lastSyncedAt: z.string().nullable(),
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;

/** One forward-internal target of a service, in failover order (on_error: continue tries the next). */
export const ServiceTarget = z.object({
  url: z.string(),
  /** An agent endpoint with this URL (compared as ngrok compares URLs) is listed. */
  online: z.boolean(),
  /** The internal cloud endpoint(s) the chain passed through to reach this target, outermost first. */
  via: z.array(z.string()),
});
export type ServiceTarget = z.infer<typeof ServiceTarget>;

/** One restrict-ips action on the way to a service, as written, with its IP policies expanded. */
export const IpRuleList = z.object({
  /** Where it runs: "cloud endpoint", or the internal/agent endpoint URL whose policy holds it. */
  source: z.string(),
  /** false = report only (ngrok's enforce: false): it never closes a connection. */
  enforce: z.boolean(),
  /** Runs only when its rule's expressions hold. */
  conditional: z.boolean(),
  allow: z.array(z.string()),
  deny: z.array(z.string()),
  /** IP policies it names; `found: false` when the account does not list one (it then has no rules). */
  ipPolicies: z.array(z.object({ id: z.string(), description: z.string().nullable(), found: z.boolean() })),
});
export type IpRuleList = z.infer<typeof IpRuleList>;

/** What the details panel shows beyond the summary fields (docs/directory-rules.md). */
export const ServiceDetails = z.object({
  targets: z.array(ServiceTarget),
  /** Every restrict-ips on the way, in order; `allow` on the service is their intersection. */
  ipRules: z.array(IpRuleList),
  /** Several cloud (or agent) endpoints share this address (ngrok endpoint pooling). */
  pooled: z.boolean(),
  /** Pooled endpoints whose traffic policies differ (e.g. during a roll-out). */
  pooledPoliciesDiffer: z.boolean(),
  /** An agent endpoint bound straight to a reserved TCP address, with no cloud endpoint in front. */
  agentBound: z.boolean(),
  /** Where the kind came from: cloud metadata, agent metadata, agent upstream port, target port, last sync. */
  kindFrom: z.enum(['cloud_metadata', 'agent_metadata', 'upstream_port', 'target_port', 'remembered']),
});
export type ServiceDetails = z.infer<typeof ServiceDetails>;

export const Service = z.object({
  id: z.string(),
  deviceId: z.string(),
  kind: ServiceKind,
  host: z.string(),
  port: z.number().int(),
  /** The forward-internal URL, e.g. tcp://frontdesk.clinic1.internal:3389 */
  target: z.string(),
  online: z.boolean(),
  allow: z.array(z.string()),
  deny: z.array(z.string()),
  username: z.string().nullable(),
  /** Why this service could not be fully resolved, or null. */
  problem: z.string().nullable(),
  /** Why an offline service is offline (null while online), so the UI can say it in words. */
  offlineReason: OfflineReason.nullable().default(null),
  /** The path a web service routed by path opens (e.g. "/api"), else null. */
  path: z.string().nullable().optional(),
  /** Filled by the resolver; absent in caches written before it existed. */
  details: ServiceDetails.optional(),
});
export type Service = z.infer<typeof Service>;

export const Device = z.object({
  id: z.string(),
  siteId: z.string(),
  name: z.string(),
  online: z.boolean(),
  services: z.array(Service),
});
export type Device = z.infer<typeof Device>;

export const Site = z.object({
  id: z.string(),
  name: z.string(),
  online: z.boolean(),
  /** When an agent serving this site was last seen connected (a sync time), or null if never. */
  agentLastSeenAt: z.string().nullable().default(null),
  devices: z.array(Device),
});
export type Site = z.infer<typeof Site>;

export const SyncState = z.object({
  status: z.enum(['never', 'ok', 'syncing', 'offline', 'error']),
  /** A readable sentence for 'offline' and 'error' (e.g. "The API key was rejected"). */
  message: z.string().nullable(),
});
export type SyncState = z.infer<typeof SyncState>;

export const DirectorySnapshot = z.object({
  workspaceId: z.string(),
  syncedAt: z.string().nullable(),
  sync: SyncState,
  sites: z.array(Site),
  favorites: z.array(z.string()),
  recents: z.array(z.string()),
});
export type DirectorySnapshot = z.infer<typeof DirectorySnapshot>;

/** A login name handed to ssh or an RDP client: no spaces or shell characters (DOMAIN\\user and user@domain are fine). */
export const Username = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.@\\-]+$/, 'use letters, digits and . _ - @ \\ only');

/** The technician's own per-device choices, kept in the settings (keyed by the stable device id). */
export const DevicePrefs = z.object({
  sshUsername: Username.nullable(),
  rdpUsername: Username.nullable(),
});
export type DevicePrefs = z.infer<typeof DevicePrefs>;

export const SyncProgress = z.object({
  workspaceId: z.string(),
  /** The API collection being read, e.g. "endpoints". */
  resource: z.string(),
  pagesDone: z.number().int().nonnegative(),
  pagesEstimated: z.number().int().nonnegative(),
  done: z.boolean(),
  /** full: every collection; status: sessions and new endpoints only; check: one service before connecting. */
  mode: z.enum(['full', 'status', 'check']).optional(),
  /** Requests answered so far in this sync (all collections). */
  requestsDone: z.number().int().nonnegative().optional(),
  /** Requests the sync is expected to need; on a first sync estimated from the first pages, so it may grow. */
  requestsNeeded: z.number().int().nonnegative().optional(),
  /** Time left at the account's rate limit (120 requests a minute) for the requests still needed, in ms. */
  etaMs: z.number().nonnegative().optional(),
  /** The API let a request time out and it is being tried again: its tries so far (absent once answers come). */
  unanswered: z.number().int().positive().optional(),
  /** ngrok answered 429 (the account's budget is spent) and the next try goes in this many ms from the report. */
  rateLimitedMs: z.number().nonnegative().optional(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

const MINUTE = 60_000;
/**
 * How often the app refreshes the directory (settings; issue 12). Status syncs read only tunnel sessions and new
 * endpoints; full syncs read everything. ngrok's limit is per account (7,200 requests an hour for the whole
 * company), so each interval is also stretched until this technician's share stays under `budgetShare` of it.
 */
export const SyncIntervals = z.object({
  statusVisibleMs: z
    .number()
    .int()
    .min(15_000)
    .max(24 * 60 * MINUTE)
    .default(MINUTE),
  statusHiddenMs: z
    .number()
    .int()
    .min(15_000)
    .max(24 * 60 * MINUTE)
    .default(5 * MINUTE),
  statusIdleMs: z
    .number()
    .int()
    .min(15_000)
    .max(24 * 60 * MINUTE)
    .default(15 * MINUTE),
  fullMs: z
    .number()
    .int()
    .min(5 * MINUTE)
    .max(7 * 24 * 60 * MINUTE)
    .default(60 * MINUTE),
  /** Share of the account's hourly budget (7,200) one technician's refreshes may use. */
  budgetShare: z.number().min(0.005).max(0.5).default(0.045),
});
export type SyncIntervals = z.infer<typeof SyncIntervals>;
