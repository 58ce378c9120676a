import { describe, expect, it } from 'vitest';
import { findUnsaved, unsavedWords, withoutUnsaved, withUnsaved, type UnsavedEdit } from './unsaved-edits';

const edit = (fields: UnsavedEdit['fields'], error = 'disk full', deviceId = 'frontdesk'): UnsavedEdit => ({
  workspaceId: 'ws1',
  deviceId,
  deviceName: deviceId,
  fields,
  error,
});

describe('unsaved edits', () => {
  it('merges a device’s failed fields, the latest text and reason winning', () => {
    let list = withUnsaved([], edit({ note: 'a' }));
    list = withUnsaved(list, edit({ sshUsername: 'root' }, 'locked'));
    list = withUnsaved(list, edit({ note: 'ab' }, 'still locked'));
    expect(list).toEqual([edit({ note: 'ab', sshUsername: 'root' }, 'still locked')]);
    expect(unsavedWords(list[0]!)).toBe('SSH username and note');
  });

  it('keeps devices and workspaces apart', () => {
    const list = withUnsaved(withUnsaved([], edit({ note: 'a' })), edit({ note: 'b' }, 'x', 'server'));
    expect(list).toHaveLength(2);
    expect(findUnsaved(list, 'ws1', 'server')?.fields.note).toBe('b');
    expect(findUnsaved(list, 'ws2', 'server')).toBeUndefined();
    expect(findUnsaved(list, null, 'server')).toBeUndefined();
  });

  it('drops saved fields, then the device once nothing is left', () => {
    let list = withUnsaved([], edit({ note: 'a', rdpUsername: 'admin' }));
    list = withoutUnsaved(list, 'ws1', 'frontdesk', ['note']);
    expect(list).toEqual([edit({ rdpUsername: 'admin' })]);
    expect(withoutUnsaved(list, 'ws1', 'other', ['rdpUsername'])).toBe(list);
    expect(withoutUnsaved(list, 'ws1', 'frontdesk', ['rdpUsername'])).toEqual([]);
  });
});
