// Site and device names for generated fleets: the kinds of places and machines field technicians visit.
export const SITE_KINDS = [
  'Clinic',
  'Dental',
  'Pharmacy',
  'Vet',
  'Lab',
  'Office',
  'Warehouse',
  'Store',
] as const;

export const DEVICE_NAMES = [
  'frontdesk',
  'reception',
  'xray',
  'server',
  'nas',
  'backoffice',
  'exam1',
  'exam2',
  'manager',
  'pos1',
  'pos2',
  'kiosk',
  'lab',
  'dvr',
  'scanner',
  'workstation',
  'gateway',
  'archive',
] as const;

/** Lower-case letters and digits only, as used in `<device>.<site>.internal` host names. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
