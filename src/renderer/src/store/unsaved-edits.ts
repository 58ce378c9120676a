// Notes and usernames a details panel could not save. A save runs on the field's blur, which is often the panel
// closing (Escape, another device chosen): its failure then had no panel left to say so in, and the text was gone.
// The store keeps what was typed, per workspace and device, until it is saved or the technician discards it.

export type UnsavedField = 'note' | 'sshUsername' | 'rdpUsername';

export interface UnsavedEdit {
  workspaceId: string;
  deviceId: string;
  /** The device's name when the save failed (the toast names it; the device may be gone from the directory). */
  deviceName: string;
  /** What was typed, as typed, for each field whose save failed. */
  fields: Partial<Record<UnsavedField, string>>;
  /** Why the last save failed (core's sentence). */
  error: string;
}

export const FIELD_WORDS: Record<UnsavedField, string> = {
  note: 'note',
  sshUsername: 'SSH username',
  rdpUsername: 'RDP username',
};

const same = (e: UnsavedEdit, workspaceId: string, deviceId: string): boolean =>
  e.workspaceId === workspaceId && e.deviceId === deviceId;

/** The list with a failed save added: a later failure of the same field replaces its text and the reason. */
export function withUnsaved(list: UnsavedEdit[], edit: UnsavedEdit): UnsavedEdit[] {
  const old = list.find((e) => same(e, edit.workspaceId, edit.deviceId));
  if (!old) return [...list, edit];
  return list.map((e) => (e === old ? { ...edit, fields: { ...old.fields, ...edit.fields } } : e));
}

/** The list without these fields of a device (saved, or discarded); a device with none left is dropped. */
export function withoutUnsaved(
  list: UnsavedEdit[],
  workspaceId: string,
  deviceId: string,
  fields: readonly UnsavedField[],
): UnsavedEdit[] {
  const old = list.find((e) => same(e, workspaceId, deviceId));
  if (!old || !fields.some((f) => f in old.fields)) return list;
  const rest = { ...old.fields };
  for (const f of fields) delete rest[f];
  if (Object.keys(rest).length === 0) return list.filter((e) => e !== old);
  return list.map((e) => (e === old ? { ...old, fields: rest } : e));
}

export function findUnsaved(
  list: UnsavedEdit[],
  workspaceId: string | null,
  deviceId: string,
): UnsavedEdit | undefined {
  return workspaceId === null ? undefined : list.find((e) => same(e, workspaceId, deviceId));
}

/** "note", "note and SSH username": the fields not saved, in the panel's order. */
export function unsavedWords(edit: UnsavedEdit): string {
  const words = (['sshUsername', 'rdpUsername', 'note'] as const)
    .filter((f) => f in edit.fields)
    .map((f) => FIELD_WORDS[f]);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}` : (words[0] ?? '');
}
