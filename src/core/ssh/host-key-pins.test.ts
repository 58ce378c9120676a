// The pins store looks ids up as own keys only: a technician-typed id such as "valueOf" or "__proto__" must not
// find Object.prototype members (it once "forgot" valueOf and wrote the file).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOST_KEYS_FILE, openHostKeyPins } from './host-key-pins';

// A minimal ssh-ed25519 public key blob: string "ssh-ed25519" then a 32-byte key.
function keyBlob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, fill);
  const len = (n: number) => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([len(type.length), type, len(key.length), key]);
}

const PROTO_NAMES = ['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__'];
let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-pins-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('host key pins: ids are own keys only', () => {
  it.each(PROTO_NAMES)('%s on an empty store: no pin, new on check, nothing forgotten or written', (id) => {
    const pins = openHostKeyPins({ home });
    expect(pins.get(id)).toBeNull();
    expect(pins.check(id, keyBlob(1)).result).toBe('new');
    expect(pins.forget(id)).toBe(false);
    expect(existsSync(path.join(home, HOST_KEYS_FILE))).toBe(false);
  });

  it.each(PROTO_NAMES)('%s beside a real pin: still no pin; the real one is untouched', (id) => {
    const pins = openHostKeyPins({ home });
    const real = pins.pin('site-1/dev-1', keyBlob(2));
    expect(pins.get(id)).toBeNull();
    expect(pins.check(id, keyBlob(2)).result).toBe('new');
    expect(pins.forget(id)).toBe(false);
    expect(pins.get('site-1/dev-1')).toEqual(real);
  });
});
