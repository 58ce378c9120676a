// The one IPC contract: every call the renderer may make and every event it may receive, with the
// zod schemas that both transports (Electron IPC and the browser harness WebSocket) validate against.
// Pure TypeScript: this file imports nothing but zod, so main, preload, renderer, harness and CLI share it.
import { z } from 'zod';
import { DevicePrefs, DirectorySnapshot, SyncProgress, Username, WorkspaceSummary } from './directory-types';

/** Error codes a call can fail with. The message is always one readable sentence, never a stack. */
export const ErrorCode = z.enum([
  'invalid_input',
  'unknown_call',
  'forbidden',
  'unauthorized',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'keychain_unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const RpcError = z.object({ code: ErrorCode, message: z.string() });
export type RpcError = z.infer<typeof RpcError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: RpcError };

const NoInput = z.object({}).strict();
const Id = z.string().min(1).max(200);
const Name = z.string().trim().min(1).max(100);

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  transport: z.enum(['electron', 'harness']),
});
export type AppInfo = z.infer<typeof AppInfo>;

interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
}

export const calls = {
  'app.info': { input: NoInput, output: AppInfo },

  'workspace.list': { input: NoInput, output: z.array(WorkspaceSummary) },
  'workspace.add': {
    // The key is the one secret the renderer ever sends (typed in by the technician); it is never echoed back.
    input: z
      .object({
        name: Name,
        apiUrl: z.string().url().max(500).optional(),
        apiKey: z.string().min(1).max(500),
      })
      .strict(),
    output: WorkspaceSummary,
  },
  'workspace.rename': { input: z.object({ id: Id, name: Name }).strict(), output: WorkspaceSummary },
  'workspace.remove': { input: z.object({ id: Id }).strict(), output: z.object({ removed: z.boolean() }) },

  'directory.get': { input: z.object({ workspaceId: Id }).strict(), output: DirectorySnapshot },
  'directory.sync': { input: z.object({ workspaceId: Id }).strict(), output: DirectorySnapshot },

  'favorites.set': {
    input: z.object({ deviceId: Id, favorite: z.boolean() }).strict(),
    output: z.object({ favorites: z.array(Id) }),
  },
  'devicePrefs.get': { input: z.object({ deviceId: Id }).strict(), output: DevicePrefs },
  /** Sets the given fields; null clears one, an absent field is left as it is. */
  'devicePrefs.set': {
    input: z
      .object({
        deviceId: Id,
        sshUsername: Username.nullable().optional(),
        rdpUsername: Username.nullable().optional(),
      })
      .strict(),
    output: DevicePrefs,
  },
} as const satisfies Record<string, CallSpec>;

export const events = {
  /** A steady tick from the back end, so the UI can tell a live connection from a dead one. */
  'app.heartbeat': z.object({ seq: z.number().int().nonnegative(), at: z.string() }),
  'directory.progress': SyncProgress,
  'directory.changed': z.object({ workspaceId: Id }),
} as const satisfies Record<string, z.ZodType>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type Events = typeof events;
export type EventName = keyof Events;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** IPC channel names, derived from the contract keys so no raw strings drift. */
export const callChannel = (name: CallName): string => `sitehop:call:${name}`;
export const eventChannel = (name: EventName): string => `sitehop:event:${name}`;

export type BridgeCalls = { [N in CallName]: (input: CallInput<N>) => Promise<Result<CallOutput<N>>> };
export type BridgeEvents = {
  [N in EventName]: (listener: (payload: EventPayload<N>) => void) => () => void;
};

/** What the preload exposes as `window.sitehop`: one function per call, one subscription per event. */
export interface SitehopBridge {
  calls: BridgeCalls;
  events: BridgeEvents;
}
