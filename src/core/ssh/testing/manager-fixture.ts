// TEST HELPER: a session manager over a one-device directory whose SSH service points at a given port, with a
// terminal stand-in that records output, answers prompts from a script and acknowledges what it "drew".
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DirectorySnapshot, Service } from '../../../shared/directory-types';
import type { SshPrompt, SshSessionInfo } from '../../../shared/session-types';
import { createDeviceCredentials, type DeviceCredentials } from '../../secrets/device-credentials';
import { memorySecretStore } from '../../secrets/testing/memory-secret-store';
import type { PromptAnswer } from '../app-prompter';
import { openHostKeyPins, type HostKeyPins } from '../host-key-pins';
import { createSshSessionManager, type SshManagerDeps, type SshSessionManager } from '../session-manager';

export const WORKSPACE = 'ws-test';
export const DEVICE_ID = 'lab/frontdesk';
export const SERVICE_ID = 'lab/frontdesk/ssh';

export function snapshotFor(port: number, service: Partial<Service> = {}): DirectorySnapshot {
  return {
    workspaceId: WORKSPACE,
    syncedAt: '2026-11-29T00:00:00.000Z',
    sync: { status: 'ok', message: null },
    favorites: [],
    recents: [],
    sites: [
      {
        id: 'lab',
        name: 'Lab',
        online: true,
        agentLastSeenAt: null,
        devices: [
          {
            id: DEVICE_ID,
            siteId: 'lab',
            name: 'frontdesk',
            online: true,
            services: [
              {
                id: SERVICE_ID,
                deviceId: DEVICE_ID,
                kind: 'ssh',
                host: '127.0.0.1',
                port,
                target: 'tcp://frontdesk.lab.internal:22',
                online: true,
                allow: ['127.0.0.0/8'],
                deny: [],
                username: null,
                problem: null,
                offlineReason: null,
                ...service,
              },
            ],
          },
        ],
      },
    ],
  };
}

export type Answerer = (p: SshPrompt) => PromptAnswer | null;

export interface Waiter {
  /** Tries every pending wait again: call it from the listener that records what the waits read. */
  poke(): void;
  /** Resolves with check()'s first defined value, tried now and on every poke; rejects after timeoutMs. */
  wait<T>(what: string, check: () => T | undefined, timeoutMs?: number): Promise<T>;
}

/** Waits on what a test records from events; a timeout names what was awaited and the last recorded states. */
export function waiter(lastStates: () => unknown): Waiter {
  const waiters = new Set<() => void>();
  return {
    poke: () => waiters.forEach((w) => w()),
    wait: <T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> =>
      new Promise((resolve, reject) => {
        const tryIt = () => {
          const v = check();
          if (v === undefined) return;
          waiters.delete(tryIt);
          clearTimeout(timer);
          resolve(v);
        };
        const timer = setTimeout(() => {
          waiters.delete(tryIt);
          reject(new Error(`timed out waiting for ${what}; last states: ${JSON.stringify(lastStates())}`));
        }, timeoutMs);
        waiters.add(tryIt);
        tryIt();
      }),
  };
}

export interface ManagerFixture {
  manager: SshSessionManager;
  pins: HostKeyPins;
  credentials: DeviceCredentials;
  prefs: Map<string, { sshUsername?: string | null; lastSshUsername?: string | null }>;
  recents: string[];
  prompts: SshPrompt[];
  states: SshSessionInfo[];
  /** Everything "drawn" per session. */
  output(sessionId: string): string;
  clearOutput(sessionId: string): void;
  setSnapshot(s: DirectorySnapshot): void;
  /** Resolves once a session reaches the state (or rejects on another terminal state). */
  waitState(sessionId: string, state: SshSessionInfo['state'], timeoutMs?: number): Promise<SshSessionInfo>;
  waitOutput(sessionId: string, pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stop acknowledging (a terminal that has fallen behind) or acknowledge again. */
  setAcking(on: boolean): void;
}

export function managerFixture(
  port: number,
  answer: Answerer,
  extra: Partial<SshManagerDeps> = {},
): ManagerFixture {
  let snapshot = snapshotFor(port);
  const home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-ssh-mgr-'));
  const pins = extra.pins ?? openHostKeyPins({ home });
  const credentials = extra.credentials ?? createDeviceCredentials(memorySecretStore());
  const prefs = new Map<string, { sshUsername?: string | null; lastSshUsername?: string | null }>();
  const recents: string[] = [];
  const prompts: SshPrompt[] = [];
  const states: SshSessionInfo[] = [];
  const out = new Map<string, string>();
  const { poke, wait } = waiter(() => states.slice(-3));
  let acking = true;
  const unacked = new Map<string, number>();

  const manager: SshSessionManager = createSshSessionManager({
    directory: { snapshot: () => snapshot },
    settings: {
      // The fixture's one workspace: prefs of another are none (device ids repeat across workspaces).
      devicePrefs: (ws, id) => (ws === WORKSPACE ? (prefs.get(id) ?? {}) : {}),
      setDevicePrefs: (ws, id, patch) => {
        if (ws !== WORKSPACE) throw new Error(`the manager fixture has no workspace ${ws}`);
        const merged = { ...prefs.get(id), ...patch };
        prefs.set(id, merged);
        return merged;
      },
      addRecent: (_ws, id) => {
        recents.unshift(id);
        return recents;
      },
    },
    credentials,
    pins,
    keyPaths: [],
    env: {},
    events: {
      data: (sessionId, data) => {
        // Keep only the tail: a flood must not grow the test's own memory (nor spend it decoding every byte).
        const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
          .subarray(-20_000)
          .toString('utf8');
        out.set(sessionId, ((out.get(sessionId) ?? '') + text).slice(-20_000));
        if (acking) setImmediate(() => manager.ack(sessionId, data.length));
        else unacked.set(sessionId, (unacked.get(sessionId) ?? 0) + data.length);
        poke();
      },
      state: (info) => {
        states.push(info);
        poke();
      },
      prompt: (p) => {
        // Pending prompts are replayed when a terminal attaches: a real tab dedupes by promptId, so does this.
        if (prompts.some((q) => q.promptId === p.promptId)) return;
        prompts.push(p);
        const a = answer(p);
        if (a) setImmediate(() => manager.answer(p.sessionId, p.promptId, a));
      },
    },
    ...extra,
  });

  return {
    manager,
    pins,
    credentials,
    prefs,
    recents,
    prompts,
    states,
    output: (id) => out.get(id) ?? '',
    clearOutput: (id) => out.set(id, ''),
    setSnapshot: (s) => {
      snapshot = s;
    },
    waitState: (id, state, timeoutMs) =>
      wait(
        `state ${state}`,
        () => {
          const last = [...states].reverse().find((s) => s.sessionId === id);
          return last?.state === state ? last : undefined;
        },
        timeoutMs,
      ),
    waitOutput: (id, pattern, timeoutMs) =>
      wait(
        `output ${pattern}`,
        () => (pattern.test(out.get(id) ?? '') ? (out.get(id) ?? '') : undefined),
        timeoutMs,
      ),
    setAcking: (on) => {
      acking = on;
      if (on)
        for (const [id, n] of unacked) {
          unacked.delete(id);
          manager.ack(id, n);
        }
    },
  };
}
