import { describe, expect, it } from 'vitest';
import { chooseUsername, migratedUsernamePrefs, usernameToSave } from './username-order';

describe('SSH username order (app and CLI)', () => {
  it('the explicit name, then the kept choice, then the metadata user, then the last metadata login', () => {
    const prefs = { sshUsername: 'mine', lastSshUsername: 'old-meta' };
    expect(chooseUsername({ explicit: 'given', prefs, metadataUser: 'meta' })).toEqual({
      username: 'given',
      fromMetadata: false,
    });
    expect(chooseUsername({ explicit: null, prefs, metadataUser: 'meta' })).toEqual({
      username: 'mine',
      fromMetadata: false,
    });
    expect(
      chooseUsername({ explicit: null, prefs: { lastSshUsername: 'old-meta' }, metadataUser: 'meta' }),
    ).toEqual({
      username: 'meta',
      fromMetadata: true,
    });
    expect(
      chooseUsername({ explicit: null, prefs: { lastSshUsername: 'old-meta' }, metadataUser: null }),
    ).toEqual({
      username: 'old-meta',
      fromMetadata: true,
    });
    expect(chooseUsername({ explicit: undefined, prefs: {}, metadataUser: undefined })).toEqual({
      username: null,
      fromMetadata: false,
    });
  });

  it('a metadata login is kept as lastSshUsername, never sshUsername; a chosen one as sshUsername', () => {
    expect(usernameToSave('meta', true, {})).toEqual({ lastSshUsername: 'meta' });
    expect(usernameToSave('meta', true, { lastSshUsername: 'meta' })).toBeNull();
    expect(usernameToSave('meta', true, { sshUsername: 'meta' })).toEqual({
      sshUsername: null,
      lastSshUsername: 'meta',
    });
    expect(usernameToSave('given', false, { sshUsername: 'other' })).toEqual({ sshUsername: 'given' });
    expect(usernameToSave('given', false, { sshUsername: 'given' })).toBeNull();
  });

  it('migration: an sshUsername equal to the current metadata user is read as the metadata fallback', () => {
    expect(migratedUsernamePrefs({ sshUsername: 'tech' }, 'tech')).toEqual({
      sshUsername: null,
      lastSshUsername: 'tech',
    });
    expect(migratedUsernamePrefs({ sshUsername: 'mine' }, 'tech')).toEqual({ sshUsername: 'mine' });
    // Such an install then follows a new metadata user.
    expect(
      chooseUsername({ explicit: null, prefs: { sshUsername: 'tech' }, metadataUser: 'tech' }).fromMetadata,
    ).toBe(true);
  });
});
