import { describe, expect, it } from 'vitest';
import { triedWords } from './auth-planner';

describe('triedWords (the failure message names what was tried)', () => {
  it('names each method once, in the order first tried, with how often when more than once', () => {
    expect(triedWords(['password', 'password', 'password'])).toBe('password (3 times)');
    expect(triedWords(['agent', 'key id_ed25519', 'password', 'password'])).toBe(
      'agent, key id_ed25519, password (2 times)',
    );
    expect(triedWords(['key a', 'key b', 'keyboard-interactive'])).toBe('key a, key b, keyboard-interactive');
  });

  it('says so when nothing was tried', () => {
    expect(triedWords([])).toBe('nothing the server accepts');
  });
});
