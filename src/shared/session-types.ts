// Session shapes the renderer sees: SSH terminal sessions and launched RDP clients. Ids, names and states
// only; a password or passphrase only ever travels renderer -> core (typed by the technician), never back.
import { z } from 'zod';

const Id = z.string().min(1).max(200);

/** Where one SSH or RDP connection stands, as a tab or a list row shows it. */
export const SessionState = z.enum([
  'connecting',
  'authenticating',
  'connected',
  'disconnected',
  'failed',
  'closed',
]);
export type SessionState = z.infer<typeof SessionState>;

export const SshSessionInfo = z.object({
  sessionId: Id,
  workspaceId: Id,
  deviceId: Id,
  serviceId: Id,
  /** "site / device", the tab title. */
  title: z.string(),
  username: z.string().nullable(),
  state: SessionState,
  /** A readable sentence for 'failed' and 'disconnected' (what happened, what to do next), else null. */
  message: z.string().nullable(),
  /**
   * Set with 'disconnected' when the remote shell itself ended (`exit`), not the line: nothing failed, so the tab
   * says "Session ended" in a neutral look. `exitStatus` is null when the server sent none.
   */
  shellEnded: z.object({ exitStatus: z.number().int().nullable() }).optional(),
  autoReconnect: z.boolean(),
});
export type SshSessionInfo = z.infer<typeof SshSessionInfo>;

/** Something a session needs the technician to answer before it can go on. */
export const SshPrompt = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hostKey'),
    sessionId: Id,
    promptId: Id,
    /** SHA256:… as `ssh-keygen -lf` prints it. */
    fingerprint: z.string(),
    keyType: z.string(),
  }),
  z.object({ kind: z.literal('username'), sessionId: Id, promptId: Id }),
  z.object({
    kind: z.literal('password'),
    sessionId: Id,
    promptId: Id,
    username: z.string(),
    retry: z.boolean(),
  }),
  z.object({ kind: z.literal('passphrase'), sessionId: Id, promptId: Id, keyName: z.string() }),
  z.object({
    kind: z.literal('keyboardInteractive'),
    sessionId: Id,
    promptId: Id,
    name: z.string(),
    instructions: z.string(),
    prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
  }),
]);
export type SshPrompt = z.infer<typeof SshPrompt>;

export const RdpLaunchInfo = z.object({
  launchId: Id,
  workspaceId: Id,
  deviceId: Id,
  serviceId: Id,
  title: z.string(),
  /** The client that was started, e.g. "xfreerdp 2.11.7". */
  client: z.string(),
  state: z.enum(['launching', 'running', 'exited', 'failed']),
  exitCode: z.number().int().nullable(),
  /** For 'failed': what went wrong and what to do (the client's first stderr line, a missing client, …). */
  message: z.string().nullable(),
  startedAt: z.string(),
});
export type RdpLaunchInfo = z.infer<typeof RdpLaunchInfo>;

export const RdpClientInfo = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  version: z.string().nullable(),
  /** It cannot ask for the password itself (FreeRDP but its SDL client): a launch hands it one, on its stdin. */
  needsPassword: z.boolean(),
  /** It cannot log in without a username (every FreeRDP client): a launch without one fails before it starts. */
  needsUsername: z.boolean(),
});
export type RdpClientInfo = z.infer<typeof RdpClientInfo>;

/** The RDP clients found here, the technician's choice, and what to install when none was found (null otherwise). */
export const RdpClients = z.object({
  clients: z.array(RdpClientInfo),
  preferred: z.string().nullable(),
  installHint: z.string().nullable(),
});
export type RdpClients = z.infer<typeof RdpClients>;
