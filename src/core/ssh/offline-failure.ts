// Why nothing can reach a service, from the connect check's answer: one reading for the app's tabs and `sitehop ssh`,
// before dialling, after a live session was cut and after a login was cut.
import type { ServiceCheck } from '../directory/sync-service';
import {
  agentOfflineFailure,
  goneFailure,
  nothingPublished,
  nothingPublishedFailure,
  type OfflineMoment,
} from './explain';
import { endpointFacts, type FoundService } from './find-service';
import type { SshFailure, SshFailureKind } from './ssh-errors';

/**
 * Failures of a dialled connection that the edge cutting the stream explains (an agent gone offline since the check):
 * closed before any byte came back, or during the login.
 */
export const cutDuringLogin = (kind: SshFailureKind): boolean =>
  kind === 'refused_by_edge' || kind === 'lost';

/**
 * The service gone from the account, its site's agent offline, or nothing published behind its address, from the
 * check's answer and the directory it updated (current); null when the service is there and may be reached.
 */
export function offlineFailure(
  check: ServiceCheck | undefined,
  current: FoundService,
  moment: OfflineMoment,
): SshFailure | null {
  const device = current.device.name;
  if (check?.state === 'gone') return goneFailure(device, moment);
  const facts = endpointFacts(current);
  if (!current.service.online && current.service.offlineReason === 'agent_offline')
    return agentOfflineFailure(facts, Date.now(), moment);
  if (nothingPublished(check, current.service)) return nothingPublishedFailure(facts, device, moment);
  return null;
}
