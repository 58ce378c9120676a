// Turns a client's early exit (code + what it printed) into one sentence a technician can act on. FreeRDP's exit
// codes alone are ambiguous (2.x returns 147 both for a refused connection and for a server that drops a wrong NLA
// password), so its ERRCONNECT_* names and the connection state it reached (logged through FREERDP_STATE_LOG)
// decide: a connection that got as far as NLA and was then cut means the password was refused.
import type { RdpClientKind } from './types';

export interface ExitContext {
  clientName: string;
  kind: RdpClientKind;
  code: number | null;
  signal: string | null;
  output: string;
  deviceName: string;
  /** The service's address admits only some source IPs (restrict-ips on the way). */
  restricted: boolean;
}

/** The first line that reads as an error, without FreeRDP's "[time] [pid:tid] [LEVEL][tag] - " prefix. */
export function firstErrorLine(output: string): string | null {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const pick =
    lines.find((l) => /\[(ERROR|FATAL)\]/.test(l)) ??
    lines.find(
      (l) =>
        l.length > 0 &&
        !/^\[[\d:]+\] \[\d+:\d+\] \[(DEBUG|INFO|TRACE|WARN)\]/.test(l) &&
        !/^Password:\s*$/.test(l),
    );
  if (!pick) return null;
  const cleaned = pick
    .replace(/^(Password:\s*)?\[[\d:]+\] \[\d+:\d+\] \[[A-Z]+\]\[[^\]]*\] - /, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > 200 ? `${cleaned.slice(0, 197)}...` : cleaned;
}

const refusedHint = (ctx: ExitContext): string =>
  ctx.restricted
    ? " Its address admits only some IP addresses (restrict-ips), and it may not admit this computer's."
    : ' The device or its agent may not be listening.';

function explainFreerdp(ctx: ExitContext): string | null {
  const out = ctx.output;
  const has = (re: RegExp): boolean => re.test(out);
  if (has(/ERRCONNECT_(LOGON_FAILURE|WRONG_PASSWORD|AUTHENTICATION_FAILED)|STATUS_LOGON_FAILURE/)) {
    return `${ctx.deviceName} refused the password (or the username is wrong).`;
  }
  if (
    has(/ERRCONNECT_PASSWORD_(EXPIRED|MUST_CHANGE|CERTAINLY_EXPIRED)|STATUS_PASSWORD_(EXPIRED|MUST_CHANGE)/)
  ) {
    return `The password for ${ctx.deviceName} has expired: change it on the device first.`;
  }
  if (has(/ERRCONNECT_ACCOUNT_LOCKED_OUT|STATUS_ACCOUNT_LOCKED_OUT/)) {
    return `The account on ${ctx.deviceName} is locked out.`;
  }
  if (has(/ERRCONNECT_ACCOUNT_(DISABLED|EXPIRED)|STATUS_ACCOUNT_(DISABLED|EXPIRED)/)) {
    return `The account on ${ctx.deviceName} is disabled or expired.`;
  }
  if (has(/ERRCONNECT_DNS_NAME_NOT_FOUND|ERRCONNECT_DNS_ERROR|unable to resolve|getaddrinfo/i)) {
    return `The address of ${ctx.deviceName} could not be resolved: check this computer's network.`;
  }
  if (
    has(
      // A name mismatch alone is normal here (the certificate names the PC, not the ngrok address) and only a warning.
      /REMOTE HOST IDENTIFICATION HAS CHANGED|CERTIFICATE HAS CHANGED|certificate .*has changed|fingerprint.*does not match/i,
    )
  ) {
    return `The certificate of ${ctx.deviceName} is not the one trusted before: it may have been replaced, or someone is in between. Nothing was sent.`;
  }
  const reachedNla = has(/--> CONNECTION_STATE_NLA/);
  const pastNla = has(
    /--> CONNECTION_STATE_(MCS|RDP_SECURITY|SECURE_SETTINGS|CONNECT_TIME|LICENSING|CAPABILITIES|FINALIZATION|ACTIVE)/,
  );
  const transport = has(
    /ERRCONNECT_(CONNECT_TRANSPORT_FAILED|CONNECT_FAILED|TLS_CONNECT_FAILED)|transport_(read|write)/,
  );
  if (transport && reachedNla && !pastNla) {
    return `${ctx.deviceName} ended the connection during the login: the password was refused (or the username is wrong).`;
  }
  if (transport && !reachedNla) {
    return `The connection to ${ctx.deviceName} was refused or closed before RDP started.${refusedHint(ctx)}`;
  }
  if (ctx.code === 128)
    return `${ctx.clientName} did not accept its arguments: ${firstErrorLine(out) ?? 'no detail'}.`;
  return null;
}

export function explainExit(ctx: ExitContext): string {
  if (ctx.kind === 'freerdp') {
    const known = explainFreerdp(ctx);
    if (known) return known;
  }
  if (
    (ctx.kind === 'windows-app' || ctx.kind === 'rdp-url') &&
    /Unable to find application|No application knows how to open/i.test(ctx.output)
  ) {
    return ctx.kind === 'windows-app'
      ? 'Windows App is not installed: install it from the Mac App Store.'
      : 'No app opens rdp:// links: install Windows App from the Mac App Store.';
  }
  const how = ctx.signal ? `was stopped (${ctx.signal})` : `exited with code ${ctx.code ?? 'unknown'}`;
  const line = firstErrorLine(ctx.output);
  return `${ctx.clientName} ${how}${line ? `: ${line}` : '.'}`;
}
