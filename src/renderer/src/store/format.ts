// Words for times and states, shared by the views.
import type { OfflineReason, Service, SyncProgress } from '../../../shared/directory-types';
import type { SshPrompt, SshSessionInfo } from '../../../shared/session-types';

export { relativeTime } from '../../../shared/relative-time';

export function durationWords(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

const REASONS: Record<OfflineReason, string> = {
  agent_offline: 'the site’s ngrok agent is not connected',
  no_internal_endpoint: 'nothing is published behind this address',
  refused_by_policy: 'its IP restrictions refuse this computer',
  unresolved: 'its ngrok settings could not be read',
};

export function offlineWhy(service: Pick<Service, 'online' | 'offlineReason' | 'problem'>): string | null {
  if (service.online) return null;
  if (service.offlineReason) return REASONS[service.offlineReason];
  return service.problem ?? 'the agent is not connected';
}

export const KIND_LABEL = { ssh: 'SSH', rdp: 'RDP', web: 'Web', tcp: 'TCP' } as const;

/** The address a web service opens in the system browser: always https. */
export function httpsUrl(service: Pick<Service, 'host' | 'port'> & { path?: string | null }): string {
  const port = service.port === 443 ? '' : `:${service.port}`;
  return `https://${service.host}${port}${service.path ?? ''}`;
}

/**
 * Who one SSH service logs in as, in the core's order (src/core/ssh/username-order.ts): the name the technician
 * typed for the device, then the user that service's ngrok metadata names (per service: two SSH services of one
 * device may name different users), then the user last logged in as through the metadata (kept by the core only,
 * so `metadataElsewhere` says whether one can exist: another service of the device names a user), else asked.
 */
export function sshLoginWords(
  typed: string,
  metadataUser: string | null | undefined,
  metadataElsewhere = false,
): string {
  const mine = typed.trim();
  if (mine)
    return metadataUser && metadataUser !== mine
      ? `${mine} (typed below; ngrok metadata names ${metadataUser})`
      : `${mine} (typed below)`;
  if (metadataUser) return `${metadataUser} (from ngrok metadata)`;
  return metadataElsewhere ? 'the user last logged in as here, else asked' : 'asked when connecting';
}

/**
 * The progress bar's numbers and words: requests done of needed, and the time left at ngrok's rate limit, less
 * `elapsedMs` since the report (a paced sync reports nothing for up to a minute while it waits for the limit).
 */
export function progressWords(p: SyncProgress, elapsedMs = 0): { done: number; total: number; text: string } {
  const done = p.requestsDone ?? p.pagesDone;
  const total = Math.max(done, p.requestsNeeded ?? p.pagesEstimated, 1);
  // A request timed out and is tried again: say so now, not after a minute of tries (the time left means nothing).
  if (p.unanswered)
    return {
      done,
      total,
      text: `The ngrok API is not answering; SiteHop keeps trying (${done} of ${total} requests)`,
    };
  // ngrok said 429: the account's shared budget is spent (another technician, a script). Say it and count down to
  // the next try, or the bar just stops for a minute at a time.
  if (p.rateLimitedMs !== undefined) {
    const wait = p.rateLimitedMs - elapsedMs;
    const when = wait >= 500 ? `tries again in ${durationWords(wait)}` : 'is trying again';
    return {
      done,
      total,
      text: `ngrok's rate limit for this account is used up (other technicians or scripts share it); SiteHop ${when} (${done} of ${total} requests)`,
    };
  }
  const eta = (p.etaMs ?? 0) - elapsedMs;
  const left = eta > 0 ? `, about ${durationWords(eta)} left` : '';
  return { done, total, text: `Syncing ${p.resource}: ${done} of ${total} requests${left}` };
}

/** The palette's shortcut as the keyboard in use spells it: ⌘K on a Mac (or iPad), Ctrl+K everywhere else. */
export function paletteKeys(userAgent: string): string {
  return /Mac|iPhone|iPad/.test(userAgent) ? '⌘K' : 'Ctrl+K';
}

const SESSION_WORDS: Record<SshSessionInfo['state'], string> = {
  connecting: 'Connecting…',
  authenticating: 'Logging in…',
  connected: 'Connected',
  disconnected: 'Disconnected',
  failed: 'Could not connect',
  closed: 'Closed',
};

/** A session whose remote shell ended (`exit`): nothing failed, so it is not shown as a drop. */
export const shellEnded = (info: Pick<SshSessionInfo, 'state' | 'shellEnded'>): boolean =>
  info.state === 'disconnected' && info.shellEnded !== undefined;

/**
 * An SSH session's state in words, one formatter for the terminal's header and the tab strip: "Session ended" (its
 * exit status when not 0) for a shell that exited, and while a question of the connection is up, that the session
 * waits for the technician ("Logging in…" showed while the host key was still to be checked).
 */
export function sessionStateWords(
  info: Pick<SshSessionInfo, 'state' | 'shellEnded'>,
  question?: SshPrompt['kind'] | null,
): string {
  if (question && (info.state === 'connecting' || info.state === 'authenticating'))
    return `${info.state === 'connecting' ? 'Connecting' : 'Logging in'}: ${question === 'hostKey' ? 'check the host key' : 'waiting for your answer'}`;
  if (shellEnded(info)) {
    const status = info.shellEnded?.exitStatus;
    return status ? `Session ended (exit status ${status})` : 'Session ended';
  }
  return SESSION_WORDS[info.state];
}
