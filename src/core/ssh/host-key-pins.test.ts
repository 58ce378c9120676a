// The pins store looks ids up as own keys only: a technician-typed id such as "valueOf" or "__proto__" must not
// find Object.prototype members (it once "forgot" valueOf and wrote the file).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { legacyOwners } from '../settings/legacy-owners';
import { HOST_KEYS_FILE, HOST_KEYS_V1_FILE, openHostKeyPins } from './host-key-pins';

// A minimal ssh-ed25519 public key blob: string "ssh-ed25519" then a 32-byte key.
function keyBlob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, fill);
  const len = (n: number) => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([len(type.length), type, len(key.length), key]);
}

const PROTO_NAMES = ['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__'];
const WS = 'ws_1';
let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-pins-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('host key pins: ids are own keys only', () => {
  it.each(PROTO_NAMES)('%s on an empty store: no pin, new on check, nothing forgotten or written', (id) => {
    const pins = openHostKeyPins({ home });
    expect(pins.get(WS, id)).toBeNull();
    expect(pins.check(WS, id, keyBlob(1)).result).toBe('new');
    expect(pins.forget(WS, id)).toBe(false);
    expect(existsSync(path.join(home, HOST_KEYS_FILE))).toBe(false);
  });

  it.each(PROTO_NAMES)('%s beside a real pin: still no pin; the real one is untouched', (id) => {
    const pins = openHostKeyPins({ home });
    const real = pins.pin(WS, 'site-1/dev-1', keyBlob(2));
    expect(pins.get(WS, id)).toBeNull();
    expect(pins.check(WS, id, keyBlob(2)).result).toBe('new');
    expect(pins.forget(WS, id)).toBe(false);
    expect(pins.get(WS, 'site-1/dev-1')).toEqual(real);
  });
});

describe('host key pins: per workspace', () => {
  it("keeps each workspace's pin of the same device id: B's first use is new, forgetting B's keeps A's", () => {
    const pins = openHostKeyPins({ home });
    const a = pins.pin('ws_a', 'vet-1/xray', keyBlob(1));
    expect(pins.check('ws_b', 'vet-1/xray', keyBlob(2)).result).toBe('new');
    expect(pins.check('ws_a', 'vet-1/xray', keyBlob(2)).result).toBe('changed');
    pins.pin('ws_b', 'vet-1/xray', keyBlob(2));
    expect(pins.forget('ws_b', 'vet-1/xray')).toBe(true);
    expect(pins.get('ws_b', 'vet-1/xray')).toBeNull();
    expect(pins.get('ws_a', 'vet-1/xray')).toEqual(a);
    pins.pin('ws_b', 'vet-1/xray', keyBlob(2));
    pins.forgetWorkspace('ws_a');
    expect(pins.get('ws_a', 'vet-1/xray')).toBeNull();
    expect(pins.get('ws_b', 'vet-1/xray')?.fingerprint).toBeTruthy();
    expect(() => pins.pin('../x', 'd', keyBlob(3))).toThrow();
  });

  it('exports one known_hosts line per (workspace, device) pin, the workspace named, fingerprints as ssh-keygen -lf', () => {
    const pins = openHostKeyPins({ home });
    const a = pins.pin('ws_a', 'vet-1/xray', keyBlob(1));
    const b = pins.pin('ws_b', 'vet-1/xray', keyBlob(2));
    const text = pins.exportKnownHosts((id) => (id === 'ws_a' ? 'Clinic A' : null));
    expect(text).toContain('# workspace ws_a: Clinic A\n');
    expect(text).toContain('# workspace ws_b\n');
    expect(text).toContain(`vet-1/xray ssh-ed25519 ${a.key} workspace=ws_a pinned=${a.pinnedAt}\n`);
    expect(text).toContain(`vet-1/xray ssh-ed25519 ${b.key} workspace=ws_b pinned=${b.pinnedAt}\n`);
    const keygen = execFileSync('ssh-keygen', ['-lf', '-'], { input: text, encoding: 'utf8' });
    expect(keygen).toContain(a.fingerprint);
    expect(keygen).toContain(b.fingerprint);
  });
});

describe('host key pins: a file written before the per-workspace scope (version 1)', () => {
  const v1 = (pins: Record<string, unknown>) => {
    const text = JSON.stringify({ version: 1, pins });
    writeFileSync(path.join(home, HOST_KEYS_FILE), text);
    return text;
  };
  const pinOf = (fill: number) => ({
    keyType: 'ssh-ed25519',
    key: keyBlob(fill).toString('base64'),
    fingerprint: `SHA256:fill${fill}`,
    pinnedAt: '2026-01-02T00:00:00.000Z',
  });
  const A = { id: 'ws_a', createdAt: '2026-01-01T00:00:00Z' };
  const B = { id: 'ws_b', createdAt: '2026-02-01T00:00:00Z' };

  it('copies each pin to every workspace that lists the device (a wrong one only blocks), keeps the rest aside', () => {
    const before = v1({ 'vet-1/xray': pinOf(1), 'a-only/dev': pinOf(2), 'gone/dev': pinOf(3) });
    const lists: Record<string, Set<string>> = {
      ws_a: new Set(['vet-1/xray', 'a-only/dev']),
      ws_b: new Set(['vet-1/xray']),
    };
    const logs: string[] = [];
    const pins = openHostKeyPins({
      home,
      log: (l) => logs.push(l),
      legacyOwners: () => legacyOwners([B, A], (id) => lists[id] ?? null),
    });
    expect(pins.get('ws_a', 'vet-1/xray')).toEqual(pinOf(1));
    expect(pins.get('ws_b', 'vet-1/xray')).toEqual(pinOf(1));
    expect(pins.check('ws_b', 'vet-1/xray', keyBlob(9)).result).toBe('changed');
    expect(pins.get('ws_a', 'a-only/dev')).toEqual(pinOf(2));
    expect(pins.get('ws_b', 'a-only/dev')).toBeNull();
    expect(pins.get('ws_a', 'gone/dev')).toBeNull();
    expect(pins.list()).toContainEqual({ workspaceId: null, deviceId: 'gone/dev', pin: pinOf(3) });
    expect(pins.exportKnownHosts()).toContain(`gone/dev ssh-ed25519 ${pinOf(3).key} workspace=none`);
    expect(readFileSync(path.join(home, HOST_KEYS_V1_FILE), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(path.join(home, HOST_KEYS_FILE), 'utf8')).version).toBe(2);
    expect(logs.filter((l) => l.includes('moved the pinned host keys'))).toHaveLength(1);
  });

  it('with one stored workspace, gives it every pin; reads the owners from the home by default', () => {
    v1({ 'vet-1/xray': pinOf(1) });
    writeFileSync(
      path.join(home, 'settings.json'),
      JSON.stringify({ workspaces: [{ ...A, name: 'A', apiUrl: 'https://api.ngrok.com' }] }),
    );
    const pins = openHostKeyPins({ home });
    expect(pins.get('ws_a', 'vet-1/xray')).toEqual(pinOf(1));
    expect(pins.list()).toHaveLength(1);
  });

  it("with no stored workspace, gives the environment's workspace (SITEHOP_API_KEY) the pins no cache lists", () => {
    v1({ 'vet-1/xray': pinOf(1), 'demo-clinic/ssh': pinOf(2) });
    const lists: Record<string, Set<string>> = { demo: new Set(['demo-clinic/ssh']) };
    const pins = openHostKeyPins({
      home,
      legacyOwners: () => legacyOwners([], (id) => lists[id] ?? null, 'env-0123456789ab'),
    });
    expect(pins.get('env-0123456789ab', 'vet-1/xray')).toEqual(pinOf(1));
    expect(pins.get('demo', 'demo-clinic/ssh')).toEqual(pinOf(2));
    expect(pins.get('env-0123456789ab', 'demo-clinic/ssh')).toBeNull();
  });

  it('refuses a damaged file rather than accepting keys', () => {
    writeFileSync(path.join(home, HOST_KEYS_FILE), '{"version": 1, "pins": 3}');
    expect(() => openHostKeyPins({ home }).check('ws_a', 'd', keyBlob(1))).toThrow(/damaged/);
  });
});
