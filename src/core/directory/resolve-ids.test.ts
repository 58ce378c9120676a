import { describe, expect, it } from 'vitest';
import { fingerprint, nameKey, slugify, uniqueIds } from './resolve-ids';

describe('nameKey and slugify', () => {
  it.each([
    ['Clinic 3', 'clinic3', 'clinic-3'],
    ['clinic-3', 'clinic3', 'clinic-3'],
    ['CLINIC_3', 'clinic3', 'clinic-3'],
    ['clinic3', 'clinic3', 'clinic3'],
    ['Café Zürich', 'cafezurich', 'cafe-zurich'],
    ['1.tcp.ngrok.io:20006', '1tcpngrokio20006', '1-tcp-ngrok-io-20006'],
  ])('%s → key %s, slug %s', (name, key, slug) => {
    expect(nameKey(name)).toBe(key);
    expect(slugify(name)).toBe(slug);
  });

  it('uniqueIds suffixes later twins in the order given', () => {
    expect(uniqueIds(['a', 'b', 'a', 'a', 'a-2'])).toEqual(['a', 'b', 'a-2', 'a-3', 'a-2-2']);
  });

  it('keeps non-Latin names apart with a fingerprint', () => {
    expect(nameKey('Клиника 1')).not.toBe(nameKey('Больница 1'));
    const a = slugify('Клиника 1');
    const b = slugify('Больница 1');
    expect(a).toMatch(/^1-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(slugify('東京')).toMatch(/^x-[0-9a-f]{8}$/);
  });

  it('bounds long names, still distinct', () => {
    const a = slugify('a'.repeat(500));
    const b = slugify(`${'a'.repeat(499)}b`);
    expect(a.length).toBeLessThanOrEqual(60);
    expect(a).not.toBe(b);
  });

  it('never yields "/" (the id separator) or an empty id', () => {
    for (const name of ['', '/', '../..', 'a/b', '   ', '\u0000']) {
      for (const f of [slugify, nameKey]) {
        expect(f(name)).not.toContain('/');
        expect(f(name)).not.toBe('');
      }
    }
  });

  it('fingerprint is deterministic', () => {
    expect(fingerprint('clinic')).toBe(fingerprint('clinic'));
    expect(fingerprint('clinic')).not.toBe(fingerprint('clinid'));
  });
});
