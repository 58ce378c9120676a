// Sentences for each failure, written for a technician in front of a customer: what happened, what to do next.
// Never a stack trace, never a secret.
import { relativeTime } from '../../shared/relative-time';
import { SshFailure } from './ssh-errors';

export interface EndpointFacts {
  address: string;
  /** restrict-ips allow list of the service (empty = no allow list). */
  allow: string[];
  deny: string[];
  /** Whether the site's agent was online at the last sync. */
  agentOnline: boolean;
  agentLastSeenAt?: string | null;
}

const list = (cidrs: string[]): string => cidrs.join(', ');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** "09:53" in local time; with the date ("09:53 on 29 Nov", the year too when not this year) when not today. */
export function clockTime(iso: string, now: number): string {
  const at = new Date(iso);
  const today = new Date(now);
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`;
  if (at.toDateString() === today.toDateString()) return time;
  const year = at.getFullYear() === today.getFullYear() ? '' : ` ${at.getFullYear()}`;
  return `${time} on ${at.getDate()} ${MONTHS[at.getMonth()]}${year}`;
}

/**
 * When an offline agent or a vanished service is told: before dialling (nothing was dialled), after a live session
 * ended unexpectedly, or after a dialled connection closed before the login finished, when the connect check, asked
 * then, found why (the edge cut the stream).
 */
export type OfflineMoment = 'before_dial' | 'session_cut' | 'login_cut';

const AGENT_NEXT = "Check that the site's agent is running, then sync and reconnect.";
const CUT: Record<Exclude<OfflineMoment, 'before_dial'>, string> = {
  session_cut: 'that is what ended this session',
  login_cut: 'that is what closed the connection before the login finished',
};

export function agentOfflineFailure(
  facts: EndpointFacts,
  now: number = Date.now(),
  moment: OfflineMoment = 'before_dial',
): SshFailure {
  // In words ("last seen 3 h ago"), as the directory says it: a raw ISO stamp in UTC meant arithmetic on site.
  // The message stays in the tab (and across a reload) while time passes, so the local clock time is added:
  // "3 h ago" alone goes wrong, "3 h ago, at 09:53" stays true.
  const seen =
    facts.agentLastSeenAt && !Number.isNaN(Date.parse(facts.agentLastSeenAt))
      ? ` (last seen ${relativeTime(facts.agentLastSeenAt, now)}, at ${clockTime(facts.agentLastSeenAt, now)})`
      : '';
  const outcome = moment === 'before_dial' ? `SiteHop did not dial ${facts.address}` : CUT[moment];
  return new SshFailure(
    'agent_offline',
    `The site's ngrok agent is offline${seen}, so nothing can reach this device; ${outcome}. ${AGENT_NEXT}`,
  );
}

/**
 * The connect check's answer (checked: it came from the API just now) has the cloud endpoint but nothing behind it:
 * the agent endpoint its policy forwards to is gone. Real ngrok lists agent endpoints only while their agent is
 * connected, so this is an agent that went offline since the last sync (the check reads no sessions, so the
 * directory cannot yet say "agent offline") or one that stopped publishing the device. Dialled, the edge closes at
 * once and the tab blamed the restrict-ips list.
 */
export function nothingPublishedFailure(
  facts: EndpointFacts,
  device: string,
  moment: OfflineMoment = 'before_dial',
): SshFailure {
  const outcome = moment === 'before_dial' ? '. SiteHop did not dial' : `; ${CUT[moment]}`;
  return new SshFailure(
    'agent_offline',
    `Nothing is published behind ${facts.address} now: ngrok no longer lists ${device}'s internal endpoint, so the site's agent went offline or stopped publishing it${outcome}. ${AGENT_NEXT}`,
  );
}

/** The check found the service removed from the ngrok account. */
export function goneFailure(device: string, moment: OfflineMoment = 'before_dial'): SshFailure {
  const outcome = moment === 'before_dial' ? '' : `; ${CUT[moment]}`;
  return new SshFailure(
    'gone',
    `${device}'s SSH service no longer exists in the ngrok account${outcome}; sync the directory to see what is there now.`,
  );
}

/** A service the check just found with nothing behind it: say so before dialling (see nothingPublishedFailure). */
export const nothingPublished = (
  check: { checked: boolean } | undefined,
  service: { online: boolean; offlineReason?: string | null | undefined },
): boolean => check?.checked === true && !service.online && service.offlineReason === 'no_internal_endpoint';

/**
 * A live session's connection ended without the technician or the app ending it: what the client can tell (the
 * keepalives got no answer, an error, or just the close). A connect check may say more (offlineFailure).
 */
export function droppedSentence(error: Error | null): string {
  if (!error) return 'The connection was closed by the device or the network.';
  return error.message === 'Keepalive timeout'
    ? 'The device stopped answering (no reply to keepalives); the link is probably down.'
    : `The connection failed: ${error.message.slice(0, 160)}.`;
}

export function refusedFailure(facts: EndpointFacts): SshFailure {
  const policy =
    facts.allow.length > 0
      ? `Its restrict-ips policy allows only ${list(facts.allow)}${facts.deny.length > 0 ? ` and denies ${list(facts.deny)}` : ''}; check that this machine's public address is on that list.`
      : facts.deny.length > 0
        ? `Its restrict-ips policy denies ${list(facts.deny)}; check that this machine's public address is not on that list.`
        : 'It has no restrict-ips allow list, so the device side closed it.';
  const agent = facts.agentOnline
    ? "The site's agent was online at the last sync."
    : "The site's agent was offline at the last sync, which also closes connections.";
  return new SshFailure(
    'refused_by_edge',
    `The endpoint refused the connection: ${facts.address} closed it before the SSH server answered. ${policy} ${agent}`,
  );
}

export function hostKeyChangedFailure(oldFp: string, newFp: string, keyType: string): SshFailure {
  return new SshFailure(
    'host_key_changed',
    `WARNING: the device's host key has changed. Pinned: ${oldFp}; now offered: ${newFp} (${keyType}). ` +
      'The device may have been reinstalled or replaced, or someone may be intercepting the connection. ' +
      'SiteHop did not log in and sent nothing. If you know why the key changed, forget the pinned key ' +
      "(the device's details: Forget host key; on the command line: sitehop host-keys forget SITE/DEVICE) " +
      'and connect again to pin the new one.',
  );
}

export function describeConnectError(
  err: Error & { level?: string; code?: string },
  facts: EndpointFacts,
  timeoutMs: number,
): SshFailure {
  if (err instanceof SshFailure) return err;
  const message = err.message ?? '';
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED')
    return new SshFailure(
      'unreachable',
      `Nothing accepts connections at ${facts.address}; the endpoint may have been removed. Sync the directory and try again.`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new SshFailure(
      'unreachable',
      `The address ${facts.address} could not be looked up; check this machine's internet connection.`,
    );
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH')
    return new SshFailure(
      'unreachable',
      `No route to ${facts.address}; check this machine's internet connection.`,
    );
  if (code === 'ETIMEDOUT' || err.level === 'client-timeout' || /timed out/i.test(message))
    return new SshFailure(
      'timeout',
      `No answer from ${facts.address} within ${Math.round(timeoutMs / 1000)} s; the uplink may be too slow or the device busy. Try again.`,
    );
  if (/before handshake/i.test(message) || code === 'ECONNRESET') return refusedFailure(facts);
  if (err.level === 'client-authentication')
    return new SshFailure(
      'auth',
      'The device did not accept the login: check the username, key or password.',
    );
  return new SshFailure(
    'protocol',
    `The SSH connection to ${facts.address} failed: ${message.slice(0, 200)}.`,
  );
}
