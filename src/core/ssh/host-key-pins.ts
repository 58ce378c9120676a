// Host keys pinned per (WORKSPACE, DEVICE id), never per host:port: every service of a site shares the relay's
// reserved address space, and ngrok re-issues addresses, so host:port says nothing about which machine answers. And
// device ids are built from names, so two workspaces (two customers' ngrok accounts) can both hold "vet-1/xray":
// each workspace has its own pins, and B's first connection is a first use even while A's device is pinned. The
// pins are a small JSON file in the SiteHop home (shared by the app and the CLI), written atomically, every change
// re-read and written under host-keys.json.lock (fs/file-lock.ts): `sitehop ssh --accept-new-host-key` pinning while
// the app forgets another pin used to lose one of the two (a forgotten pin came back, or the new one was dropped).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-file';
import { withFileLock, type FileLockOptions } from '../fs/file-lock';
import { legacyOwnersFromHome, type LegacyOwners } from '../settings/legacy-owners';
import { LEGACY_ENV_ID } from '../settings/settings-migration';
import { keyTypeOf, sha256Fingerprint } from './fingerprint';

const Pin = z.object({
  keyType: z.string(),
  /** The raw public key blob, base64. */
  key: z.string(),
  fingerprint: z.string(),
  pinnedAt: z.string(),
});
export type HostKeyPin = z.infer<typeof Pin>;

const DevicePins = z.record(z.string(), Pin);
type DevicePins = z.infer<typeof DevicePins>;
const WorkspaceKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Written by versions before the per-workspace scope: pins keyed by the device id alone. */
const PinFileV1 = z.object({ version: z.literal(1), pins: DevicePins });
const PinFile = z.object({
  version: z.literal(2),
  pins: z.record(WorkspaceKey, DevicePins),
  /** Version 1 pins no workspace could be told for (legacy-owners.ts): kept and exported, never checked. */
  unassigned: DevicePins.default({}),
});
type PinFile = z.infer<typeof PinFile>;

export type HostKeyCheck =
  | { result: 'match'; pin: HostKeyPin }
  | { result: 'new'; fingerprint: string; keyType: string }
  | { result: 'changed'; pin: HostKeyPin; fingerprint: string; keyType: string };

export interface PinnedKey {
  /** null: a pin kept from before the per-workspace scope that no workspace could be told for. */
  workspaceId: string | null;
  deviceId: string;
  pin: HostKeyPin;
}

export interface HostKeyPins {
  get(workspaceId: string, deviceId: string): HostKeyPin | null;
  check(workspaceId: string, deviceId: string, keyBlob: Buffer): HostKeyCheck;
  pin(workspaceId: string, deviceId: string, keyBlob: Buffer): HostKeyPin;
  forget(workspaceId: string, deviceId: string): boolean;
  /** Drops every pin of a removed workspace. */
  forgetWorkspace(workspaceId: string): void;
  /** Every pin, by workspace then device id. */
  list(): PinnedKey[];
  /**
   * known_hosts-style lines, one per (workspace, device) pin: the device id stands where OpenSSH puts a host name,
   * the comment names the workspace (and a marker line before each workspace's pins its name, when known).
   */
  exportKnownHosts(workspaceName?: (workspaceId: string) => string | null): string;
}

export const HOST_KEYS_FILE = 'host-keys.json';
/** Held (O_EXCL) around every change of host-keys.json, by whichever process changes it. */
export const HOST_KEYS_LOCK = 'host-keys.json.lock';
/** The version 1 file as it was before its pins were moved under their workspaces (kept, never read). */
export const HOST_KEYS_V1_FILE = 'host-keys.before-workspace-scope.json';
/** The file as it was before the pins of the environment workspace's old fixed id were moved (kept, never read). */
export const HOST_KEYS_PRE_ENV_ID_FILE = 'host-keys.before-env-workspace-id.json';

/** The entry under this key, never an Object.prototype member: ids are typed by technicians ("valueOf"). */
function own<T>(record: Record<string, T>, key: string): T | null {
  return Object.hasOwn(record, key) ? (record[key] ?? null) : null;
}

/** Version 1 pins moved under the workspaces legacy-owners.ts names: a copy for each (a wrong pin only blocks). */
export function migratePinsV1(pins: DevicePins, owners: LegacyOwners): PinFile {
  const next: PinFile = { version: 2, pins: {}, unassigned: {} };
  for (const [deviceId, pin] of Object.entries(pins)) {
    const to = owners.all(deviceId);
    if (to.length === 0) next.unassigned = { ...next.unassigned, [deviceId]: pin };
    for (const ws of to) next.pins[ws] = { ...own(next.pins, ws), [deviceId]: pin };
  }
  return next;
}

export function openHostKeyPins(options: {
  home: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** Who owns the pins of a version 1 file; default: the home's settings workspaces and cached directories. */
  legacyOwners?: () => LegacyOwners;
  /**
   * The SITEHOP_API_KEY workspace of this process: for the default owners (see legacy-owners.ts `all`), and it takes
   * the pins kept under the environment workspace's old fixed id (settings-migration.ts LEGACY_ENV_ID), once.
   */
  envWorkspaceId?: string | null;
  /** The lock's timings (tests). */
  lock?: FileLockOptions;
}): HostKeyPins {
  const file = path.join(options.home, HOST_KEYS_FILE);
  const lockFile = path.join(options.home, HOST_KEYS_LOCK);
  const locked = <T>(fn: () => T): T => withFileLock(lockFile, fn, options.lock);
  const now = options.now ?? (() => new Date());
  const damaged = (): Error =>
    new Error(`The pinned host keys file (${file}) is damaged; fix or remove it, then try again.`);
  // Read on every call: the CLI and the app may both pin while the other runs. A read that has to migrate the file
  // (a write) does it under the lock, on the file read again there.
  const read = (): PinFile => {
    const current = parse();
    return current.version === 2 && !needsEnvAdoption(current) ? current : locked(() => migrated(parse()));
  };
  const parse = (): PinFile | z.infer<typeof PinFileV1> => {
    if (!existsSync(file)) return { version: 2, pins: {}, unassigned: {} };
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // An unreadable file must never silently accept keys, so it is reported and kept.
      throw damaged();
    }
    const parsed = PinFile.safeParse(raw);
    if (parsed.success) return parsed.data;
    const v1 = PinFileV1.safeParse(raw);
    if (!v1.success) throw damaged();
    return v1.data;
  };
  /** The file as read, migrated to version 2 and its old env id's pins adopted (written when it changed). */
  const migrated = (data: PinFile | z.infer<typeof PinFileV1>): PinFile => {
    if (data.version === 2) return adoptEnvPins(data);
    // Once, atomically, keeping the version 1 file beside it (the app and the CLI migrating at once agree).
    const owners =
      options.legacyOwners?.() ??
      legacyOwnersFromHome(options.home, undefined, options.envWorkspaceId ?? null);
    const next = migratePinsV1(data.pins, owners);
    const kept = path.join(options.home, HOST_KEYS_V1_FILE);
    if (!existsSync(kept)) writeFileAtomic(kept, readFileSync(file, 'utf8'));
    write(next);
    options.log?.(`[ssh] moved the pinned host keys under their workspaces (was: ${HOST_KEYS_V1_FILE})`);
    // Pins a version 1 file kept under the old env id, if the owners gave them that id.
    return adoptEnvPins(next);
  };
  const write = (data: PinFile): void => writeFileAtomic(file, JSON.stringify(data, null, '\t'));
  /**
   * Pins kept under the environment workspace's old fixed id go to the workspace of the key set now, as its notes
   * and usernames do (technician-settings.ts adoptLegacyEnvRecords): dropped, the next connection would be a first
   * use an interceptor could answer; given to the wrong key's workspace, a pin only blocks. Its own pins are newer
   * and win. Once (the old entry goes), in one atomic write, the file as it was kept beside it.
   */
  const needsEnvAdoption = (data: PinFile): boolean => {
    const envId = options.envWorkspaceId ?? null;
    return envId !== null && envId !== LEGACY_ENV_ID && Object.hasOwn(data.pins, LEGACY_ENV_ID);
  };
  const adoptEnvPins = (data: PinFile): PinFile => {
    const envId = options.envWorkspaceId ?? null;
    if (envId === null || !needsEnvAdoption(data)) return data;
    const rest = Object.entries(data.pins).filter(([ws]) => ws !== LEGACY_ENV_ID && ws !== envId);
    const merged: DevicePins = { ...data.pins[LEGACY_ENV_ID], ...own(data.pins, envId) };
    const next: PinFile = { ...data, pins: Object.fromEntries([...rest, [checked(envId), merged]]) };
    const kept = path.join(options.home, HOST_KEYS_PRE_ENV_ID_FILE);
    if (!existsSync(kept)) writeFileAtomic(kept, readFileSync(file, 'utf8'));
    write(next);
    options.log?.(
      `[ssh] moved the pinned host keys of the environment's old workspace id "${LEGACY_ENV_ID}" to ${envId} (was: ${HOST_KEYS_PRE_ENV_ID_FILE})`,
    );
    return next;
  };
  const pinsOf = (data: PinFile, workspaceId: string): DevicePins => own(data.pins, workspaceId) ?? {};
  const checked = (workspaceId: string): string => WorkspaceKey.parse(workspaceId);

  const list = (): PinnedKey[] => {
    const data = read();
    const rows = (workspaceId: string | null, pins: DevicePins): PinnedKey[] =>
      Object.keys(pins)
        .sort()
        .map((deviceId) => ({ workspaceId, deviceId, pin: pins[deviceId]! }));
    return [
      ...Object.keys(data.pins)
        .sort()
        .flatMap((ws) => rows(ws, data.pins[ws]!)),
      ...rows(null, data.unassigned),
    ];
  };

  return {
    get: (workspaceId, deviceId) => own(pinsOf(read(), workspaceId), deviceId),
    check: (workspaceId, deviceId, keyBlob) => {
      const pin = own(pinsOf(read(), workspaceId), deviceId);
      const fingerprint = sha256Fingerprint(keyBlob);
      const keyType = keyTypeOf(keyBlob);
      if (!pin) return { result: 'new', fingerprint, keyType };
      if (pin.key === keyBlob.toString('base64')) return { result: 'match', pin };
      return { result: 'changed', pin, fingerprint, keyType };
    },
    pin: (workspaceId, deviceId, keyBlob) =>
      locked(() => {
        const data = read();
        const pin: HostKeyPin = {
          keyType: keyTypeOf(keyBlob),
          key: keyBlob.toString('base64'),
          fingerprint: sha256Fingerprint(keyBlob),
          pinnedAt: now().toISOString(),
        };
        const ws = checked(workspaceId);
        write({ ...data, pins: { ...data.pins, [ws]: { ...pinsOf(data, ws), [deviceId]: pin } } });
        options.log?.(`[ssh] pinned host key ${pin.fingerprint} for device ${deviceId} in workspace ${ws}`);
        return pin;
      }),
    forget: (workspaceId, deviceId) =>
      locked(() => {
        const data = read();
        const mine = pinsOf(data, workspaceId);
        if (!Object.hasOwn(mine, deviceId)) return false;
        const rest = Object.fromEntries(Object.entries(mine).filter(([id]) => id !== deviceId));
        write({ ...data, pins: { ...data.pins, [checked(workspaceId)]: rest } });
        options.log?.(`[ssh] forgot the pinned host key of device ${deviceId} in workspace ${workspaceId}`);
        return true;
      }),
    forgetWorkspace: (workspaceId) =>
      locked(() => {
        const data = read();
        if (!Object.hasOwn(data.pins, workspaceId)) return;
        write({
          ...data,
          pins: Object.fromEntries(Object.entries(data.pins).filter(([id]) => id !== workspaceId)),
        });
        options.log?.(`[ssh] forgot the pinned host keys of removed workspace ${workspaceId}`);
      }),
    list,
    exportKnownHosts: (workspaceName) => {
      const all = list();
      let text =
        '# SiteHop pinned host keys: <device id> <key type> <key> workspace=<workspace id> pinned=<pinned at>\n';
      let group: string | null | undefined;
      for (const { workspaceId, deviceId, pin } of all) {
        if (workspaceId !== group) {
          group = workspaceId;
          const name = workspaceId === null ? null : (workspaceName?.(workspaceId) ?? null);
          text +=
            workspaceId === null
              ? '# workspace none: kept from an earlier SiteHop, never used (no workspace could be told for them)\n'
              : `# workspace ${workspaceId}${name !== null ? `: ${name.replace(/[\r\n]+/g, ' ')}` : ''}\n`;
        }
        // Device ids contain '/', never spaces or commas, so each stays one known_hosts "host" field.
        text += `${deviceId} ${pin.keyType} ${pin.key} workspace=${workspaceId ?? 'none'} pinned=${pin.pinnedAt}\n`;
      }
      return text;
    },
  };
}
