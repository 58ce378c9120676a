// The one IPC contract: every call the renderer may make and every event it may receive, with the
// zod schemas that both transports (Electron IPC and the browser harness WebSocket) validate against.
// Pure TypeScript: this file imports nothing but zod, so main, preload, renderer, harness and CLI share it.
import { z } from 'zod';
import {
  DevicePrefs,
  DirectorySnapshot,
  SyncProgress,
  SyncState,
  Username,
  WorkspaceSummary,
} from './directory-types';
import { RdpClients, RdpLaunchInfo, SshPrompt, SshSessionInfo } from './session-types';
import { FirstScreenSave } from './first-screen';
import { DirectoryDelta } from './directory-delta';
import { DeviceNote, DirectoryHead, UiPrefsPatch, UiState } from './ui-types';

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
/**
 * The workspace a device-keyed record (favorite, recent, username, note, host-key pin) belongs to: device ids are
 * built from names and repeat across workspaces (two customers' "vet-1/xray"). It keys the stored records.
 */
const WorkspaceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a workspace id');
/** At most this many bytes of terminal output per 'ssh.data' event (core batches well below it). */
export const MAX_SSH_DATA_BYTES = 1024 * 1024;
const Name = z.string().trim().min(1).max(100);
const Empty = z.object({}).strict();
const TermSize = z.number().int().min(1).max(1000);

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
  /**
   * A new API key for a stored workspace (its key was revoked or rotated): verified as in workspace.add, refused
   * for another ngrok account, kept under the same id, so its records and cache stay; a sync follows.
   */
  'workspace.replaceKey': {
    input: z.object({ id: Id, apiKey: z.string().min(1).max(500) }).strict(),
    output: WorkspaceSummary,
  },

  'directory.get': { input: z.object({ workspaceId: Id }).strict(), output: DirectorySnapshot },
  'directory.sync': { input: z.object({ workspaceId: Id }).strict(), output: DirectorySnapshot },
  /**
   * A sync asked for by a window that shows the directory: the answer is the sync's outcome only. The sites come
   * as the `directory.changed` event every window gets at its end (the sites that changed, or a cue to read them),
   * so a refresh does not carry 10,000 devices the window mostly holds already.
   */
  'directory.refresh': {
    input: z.object({ workspaceId: Id }).strict(),
    output: z.object({ syncedAt: z.string().nullable(), sync: SyncState }),
  },

  'favorites.set': {
    input: z.object({ workspaceId: WorkspaceId, deviceId: Id, favorite: z.boolean() }).strict(),
    output: z.object({ favorites: z.array(Id) }),
  },
  'devicePrefs.get': {
    input: z.object({ workspaceId: WorkspaceId, deviceId: Id }).strict(),
    output: DevicePrefs,
  },
  /** Sets the given fields; null clears one, an absent field is left as it is. */
  'devicePrefs.set': {
    input: z
      .object({
        workspaceId: WorkspaceId,
        deviceId: Id,
        sshUsername: Username.nullable().optional(),
        rdpUsername: Username.nullable().optional(),
      })
      .strict(),
    output: DevicePrefs,
  },

  // --- SSH sessions (terminal tabs). Output flows as 'ssh.data' events; the renderer acknowledges the bytes xterm has
  // parsed with 'ssh.ack' so core can pause the channel (flow control). Prompts arrive as 'ssh.prompt'.
  'ssh.open': {
    input: z
      .object({
        workspaceId: Id,
        serviceId: Id,
        username: Username.optional(),
        cols: TermSize,
        rows: TermSize,
        autoReconnect: z.boolean().optional(),
      })
      .strict(),
    output: SshSessionInfo,
  },
  'ssh.input': {
    input: z.object({ sessionId: Id, data: z.string().max(1_000_000) }).strict(),
    output: Empty,
  },
  'ssh.resize': {
    input: z.object({ sessionId: Id, cols: TermSize, rows: TermSize }).strict(),
    output: Empty,
  },
  'ssh.ack': {
    input: z.object({ sessionId: Id, bytes: z.number().int().nonnegative() }).strict(),
    output: Empty,
  },
  /** A terminal is ready for the session: held output and pending prompts are (re)sent to it. */
  'ssh.attach': {
    input: z.object({ sessionId: Id, cols: TermSize, rows: TermSize }).strict(),
    output: SshSessionInfo,
  },
  /** Answers an 'ssh.prompt': accept=false refuses a host key or cancels a login prompt. */
  'ssh.answer': {
    input: z
      .object({
        sessionId: Id,
        promptId: Id,
        accept: z.boolean(),
        answers: z.array(z.string().max(4096)).max(20).optional(),
        /** Keep this password or passphrase in the OS keychain for this device. */
        remember: z.boolean().optional(),
      })
      .strict(),
    output: Empty,
  },
  'ssh.reconnect': { input: z.object({ sessionId: Id }).strict(), output: SshSessionInfo },
  'ssh.setAutoReconnect': {
    input: z.object({ sessionId: Id, on: z.boolean() }).strict(),
    output: SshSessionInfo,
  },
  'ssh.close': { input: z.object({ sessionId: Id }).strict(), output: Empty },
  'ssh.list': { input: NoInput, output: z.array(SshSessionInfo) },
  /** The host key pinned for a device (pins are per workspace and device id, never per relay host:port). */
  'hostKeys.get': {
    input: z.object({ workspaceId: WorkspaceId, deviceId: Id }).strict(),
    output: z.object({ fingerprint: z.string(), keyType: z.string(), pinnedAt: z.string() }).nullable(),
  },
  'hostKeys.forget': {
    input: z.object({ workspaceId: WorkspaceId, deviceId: Id }).strict(),
    output: z.object({ removed: z.boolean() }),
  },
  /** All pins as known_hosts-style lines, for audits. */
  'hostKeys.export': { input: NoInput, output: z.object({ text: z.string() }) },
  /** Which remembered secrets the keychain holds for a device (never the secrets themselves). Remembered
   * secrets are kept per workspace: device ids repeat across workspaces (two customers' "vet-1/xray"). */
  'credentials.status': {
    input: z.object({ workspaceId: Id, deviceId: Id }).strict(),
    output: z.object({ ssh: z.boolean(), rdp: z.boolean() }),
  },
  'credentials.forget': {
    input: z.object({ workspaceId: Id, deviceId: Id }).strict(),
    output: z.object({ removed: z.boolean() }),
  },

  // --- RDP: the system client is launched at the service's address; SiteHop lists it until it exits.
  'rdp.clients': {
    input: NoInput,
    output: RdpClients,
  },
  /**
   * Saves the technician's client: a detected client's id, "custom" (one set up with `sitehop rdp-client custom`), or
   * null (the first one found). The UI cannot name a program or its arguments: no call runs a command it chooses.
   */
  'rdp.setPreferredClient': {
    input: z.object({ id: z.string().min(1).max(100).nullable() }).strict(),
    output: RdpClients,
  },
  'rdp.launch': {
    input: z
      .object({
        workspaceId: Id,
        serviceId: Id,
        username: Username.optional(),
        /** Typed by the technician for this launch; handed to the client on stdin, never argv. */
        password: z.string().max(4096).optional(),
        remember: z.boolean().optional(),
      })
      .strict(),
    output: RdpLaunchInfo,
  },
  'rdp.list': { input: NoInput, output: z.array(RdpLaunchInfo) },

  // --- The technician's UI: preferences, recents from the connect actions, a local note per device.
  /** The first sites of the directory (about `devices` devices) and its totals: the first screen of a big one. */
  'directory.head': {
    input: z.object({ workspaceId: Id, devices: z.number().int().min(1).max(1000) }).strict(),
    output: DirectoryHead,
  },
  'ui.get': { input: NoInput, output: UiState },
  /**
   * The window's first screen as just painted, kept to be shown at the next start before the app has loaded (see
   * first-screen.ts). Not kept (`saved: false`) when it no longer shows the workspace's current directory.
   */
  'ui.firstScreen': { input: FirstScreenSave, output: z.object({ saved: z.boolean() }) },
  /** Sets the given fields; an absent field is left as it is. */
  'ui.set': { input: UiPrefsPatch, output: UiState },
  'recents.add': {
    input: z.object({ workspaceId: WorkspaceId, deviceId: Id }).strict(),
    output: z.object({ recents: z.array(z.string()) }),
  },
  'deviceNote.get': {
    input: z.object({ workspaceId: WorkspaceId, deviceId: Id }).strict(),
    output: z.object({ note: z.string() }),
  },
  /** An empty (or blank) note removes it. */
  'deviceNote.set': {
    input: z.object({ workspaceId: WorkspaceId, deviceId: Id, note: DeviceNote }).strict(),
    output: z.object({ note: z.string() }),
  },

  // --- The built-in demo (UI: show this as the demo device's login while the demo workspace is listed).
  /**
   * The demo device's login for this run, or null when the demo workspace is not listed. The one deliberate
   * exception to "the renderer never receives a secret": a throwaway password, random per run, for a simulated
   * device served in-process on 127.0.0.1 by the built-in demo. No real device's secret ever takes this path.
   */
  'demo.info': {
    input: NoInput,
    output: z.object({ sshUsername: z.string(), sshPassword: z.string() }).nullable(),
  },
} as const satisfies Record<string, CallSpec>;

export const events = {
  /** A steady tick from the back end, so the UI can tell a live connection from a dead one. */
  'app.heartbeat': z.object({ seq: z.number().int().nonnegative(), at: z.string() }),
  'directory.progress': SyncProgress,
  /**
   * The workspace's directory or its sync state changed. `syncedAt` names the directory the core now holds: a window
   * holding the same one takes `sync` and reads nothing more; a sync starting or failing does not resend 10,000
   * devices. Without them (an older core), the window reads the whole directory. `delta`, right after a sync kept a
   * directory that differs in a few sites: a window showing `delta.from` takes those sites and reads nothing.
   */
  'directory.changed': z.object({
    workspaceId: Id,
    syncedAt: z.string().nullable().optional(),
    sync: SyncState.optional(),
    delta: DirectoryDelta.optional(),
  }),
  // Terminal output as raw bytes (UTF-8, whole characters per event): a Uint8Array by structured clone over Electron
  // IPC and a binary frame over the harness WebSocket (src/shared/harness-frames.ts); xterm.js decodes it itself.
  'ssh.data': z.object({
    sessionId: Id,
    data: z.custom<Uint8Array>(
      (b) => b instanceof Uint8Array && b.byteLength <= MAX_SSH_DATA_BYTES,
      'bytes, at most MAX_SSH_DATA_BYTES of them',
    ),
  }),
  'ssh.state': SshSessionInfo,
  'ssh.prompt': SshPrompt,
  'rdp.state': RdpLaunchInfo,
  // The home is shared with the `sitehop` CLI: what it changes while the window is open (core/home-watch.ts).
  /** A workspace's favorites or recents in the home are not what the window was given (`sitehop ssh` opened one). */
  'records.changed': z.object({
    workspaceId: Id,
    favorites: z.array(z.string()),
    recents: z.array(z.string()),
  }),
  /** The stored workspace list changed (`sitehop workspace add|rename|remove`): 'workspace.list' again. */
  'workspaces.changed': z.object({}).strict(),
  /** A workspace's pinned host keys changed (`sitehop host-keys forget`, a pin made): 'hostKeys.get' again. */
  'hostKeys.changed': z.object({ workspaceId: Id }),
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
