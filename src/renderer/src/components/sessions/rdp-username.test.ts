import { describe, expect, it } from 'vitest';
import { prefilledUsername } from './rdp-username';

describe('prefilledUsername', () => {
  it('fills an untouched field with the kept name, over the metadata default', () => {
    expect(prefilledUsername({ value: '', typed: false }, 'clinic\\admin')).toBe('clinic\\admin');
    expect(prefilledUsername({ value: 'Administrator', typed: false }, 'clinic\\admin')).toBe(
      'clinic\\admin',
    );
  });
  it('keeps the field when nothing is kept', () => {
    expect(prefilledUsername({ value: 'Administrator', typed: false }, null)).toBe('Administrator');
    expect(prefilledUsername({ value: '', typed: false }, '')).toBe('');
  });
  it('never replaces what the technician typed, even a field they emptied', () => {
    expect(prefilledUsername({ value: 'dana', typed: true }, 'clinic\\admin')).toBe('dana');
    expect(prefilledUsername({ value: '', typed: true }, 'clinic\\admin')).toBe('');
  });
});
