// SITE/DEVICE on the command line for commands that need one device (sitehop rdp): the shared matcher
// (core/directory/device-match.ts, also used by sitehop ssh), with no match or several matches turned into a usage
// error that lists the candidates.
import { matchDeviceSpec, type SiteDevice } from '../core/directory/device-match';
import type { DirectorySnapshot } from '../shared/directory-types';
import { UsageError } from './io';

export type DeviceMatch = SiteDevice;

export function resolveDeviceTarget(snapshot: DirectorySnapshot, target: string): DeviceMatch {
  const match = matchDeviceSpec(snapshot, target);
  if (match.ok) return { site: match.site, device: match.device };
  const list = match.candidates.map((c) => `\n  ${c}`).join('');
  if (match.reason === 'ambiguous')
    throw new UsageError(`"${target}" names several devices; use SITE/DEVICE or the device id:${list}`);
  throw new UsageError(
    `there is no device "${target}": give it as SITE/DEVICE (names or ids, see "sitehop devices").${list ? ` Did you mean:${list}` : ''}`,
  );
}
