// Host keys pinned per DEVICE id, never per host:port: every service of a site shares the relay's reserved
// address space, and ngrok re-issues addresses, so host:port says nothing about which machine answers. The pins
// are a small JSON file in the SiteHop home (shared by the app and the CLI), written atomically.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-file';
import { keyTypeOf, sha256Fingerprint } from './fingerprint';

const Pin = z.object({
  keyType: z.string(),
  /** The raw public key blob, base64. */
  key: z.string(),
  fingerprint: z.string(),
  pinnedAt: z.string(),
});
export type HostKeyPin = z.infer<typeof Pin>;

const PinFile = z.object({ version: z.literal(1), pins: z.record(z.string(), Pin) });

export type HostKeyCheck =
  | { result: 'match'; pin: HostKeyPin }
  | { result: 'new'; fingerprint: string; keyType: string }
  | { result: 'changed'; pin: HostKeyPin; fingerprint: string; keyType: string };

export interface HostKeyPins {
  get(deviceId: string): HostKeyPin | null;
  check(deviceId: string, keyBlob: Buffer): HostKeyCheck;
  pin(deviceId: string, keyBlob: Buffer): HostKeyPin;
  forget(deviceId: string): boolean;
  /** known_hosts-style lines: the device id stands where OpenSSH puts a host name. */
  exportKnownHosts(): string;
}

export const HOST_KEYS_FILE = 'host-keys.json';

/** The pin stored under this id, never an Object.prototype member: ids are typed by technicians ("valueOf"). */
function own(pins: Record<string, HostKeyPin>, deviceId: string): HostKeyPin | null {
  return Object.hasOwn(pins, deviceId) ? (pins[deviceId] ?? null) : null;
}

export function openHostKeyPins(options: {
  home: string;
  now?: () => Date;
  log?: (line: string) => void;
}): HostKeyPins {
  const file = path.join(options.home, HOST_KEYS_FILE);
  const now = options.now ?? (() => new Date());
  // Read on every call: the CLI and the app may both pin while the other runs.
  const read = (): Record<string, HostKeyPin> => {
    if (!existsSync(file)) return {};
    try {
      const parsed = PinFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) return parsed.data.pins;
    } catch {
      // Fall through: an unreadable file must never silently accept keys, so it is reported and kept.
    }
    throw new Error(`The pinned host keys file (${file}) is damaged; fix or remove it, then try again.`);
  };
  const write = (pins: Record<string, HostKeyPin>): void =>
    writeFileAtomic(file, JSON.stringify({ version: 1, pins }, null, '\t'));

  return {
    get: (deviceId) => own(read(), deviceId),
    check: (deviceId, keyBlob) => {
      const pin = own(read(), deviceId);
      const fingerprint = sha256Fingerprint(keyBlob);
      const keyType = keyTypeOf(keyBlob);
      if (!pin) return { result: 'new', fingerprint, keyType };
      if (pin.key === keyBlob.toString('base64')) return { result: 'match', pin };
      return { result: 'changed', pin, fingerprint, keyType };
    },
    pin: (deviceId, keyBlob) => {
      const pins = read();
      const pin: HostKeyPin = {
        keyType: keyTypeOf(keyBlob),
        key: keyBlob.toString('base64'),
        fingerprint: sha256Fingerprint(keyBlob),
        pinnedAt: now().toISOString(),
      };
      write({ ...pins, [deviceId]: pin });
      options.log?.(`[ssh] pinned host key ${pin.fingerprint} for device ${deviceId}`);
      return pin;
    },
    forget: (deviceId) => {
      const pins = read();
      if (!Object.hasOwn(pins, deviceId)) return false;
      const { [deviceId]: _removed, ...rest } = pins;
      write(rest);
      options.log?.(`[ssh] forgot the pinned host key of device ${deviceId}`);
      return true;
    },
    exportKnownHosts: () => {
      const pins = read();
      const header = '# SiteHop pinned host keys: <device id> <key type> <key> <pinned at>\n';
      const lines = Object.keys(pins)
        .sort()
        .map((id) => {
          const p = pins[id]!;
          // Device ids contain '/', never spaces or commas, so each stays one known_hosts "host" field.
          return `${id} ${p.keyType} ${p.key} pinned=${p.pinnedAt}\n`;
        });
      return header + lines.join('');
    },
  };
}
