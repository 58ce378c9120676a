/**
 * The RDP dialog's username once the device's kept name is read (`devicePrefs.get` answers after the dialog is open,
 * later still when core is busy): the kept name fills the field only while the technician has typed nothing in it,
 * never over what they typed (even an emptied field: clearing it was their choice).
 */
export function prefilledUsername(field: { value: string; typed: boolean }, kept: string | null): string {
  return !field.typed && kept ? kept : field.value;
}
