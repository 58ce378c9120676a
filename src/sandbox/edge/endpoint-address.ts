// Addresses the edge reads from the state: where a cloud endpoint listens, and where an agent endpoint's upstream is.
import { isLoopbackHost } from './ip-match';

export interface HostPort {
  host: string;
  port: number;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function validPort(text: string, allowZero: boolean): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 && (allowZero || port > 0) ? port : undefined;
}

/**
 * The loopback address a cloud endpoint URL (tcp://127.0.0.1:21234, or tls://…, which the edge passes through
 * untouched as ngrok does without terminate-tls) names, or undefined when the edge must not listen for it (another
 * scheme, a public host, no port). Port 0 is allowed and means "any free port".
 */
export function cloudListenAddress(url: string): HostPort | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'tcp:' && parsed.protocol !== 'tls:') return undefined;
  const host = stripBrackets(parsed.hostname);
  if (!isLoopbackHost(host)) return undefined;
  // URL drops an explicit ":0" only for default ports of special schemes; tcp has none, so "" means "no port".
  const port = validPort(parsed.port, true);
  if (port === undefined) return undefined;
  return { host: host.toLowerCase() === 'localhost' ? '127.0.0.1' : host, port };
}

/** An agent endpoint's upstream_url: "tcp://localhost:22", "localhost:22", "127.0.0.1:22" or just "22". */
export function parseUpstreamUrl(text: string): HostPort | undefined {
  const trimmed = text.trim();
  const bare = validPort(trimmed, false);
  if (bare !== undefined) return { host: '127.0.0.1', port: bare };
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `tcp://${trimmed}`);
  } catch {
    return undefined;
  }
  const port = validPort(parsed.port, false);
  if (port === undefined || parsed.hostname === '') return undefined;
  const host = stripBrackets(parsed.hostname);
  return { host: host.toLowerCase() === 'localhost' ? '127.0.0.1' : host, port };
}

const DEFAULT_PORT: Record<string, string> = { https: '443', tls: '443', http: '80' };

/**
 * How ngrok tells endpoint URLs apart: scheme, host without regard to case, and port with the scheme's default
 * (https and tls 443, http 80). Written here with WHATWG URL parsing, independently of the directory resolver.
 */
export function endpointKey(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  const host = stripBrackets(parsed.hostname).toLowerCase();
  const port = parsed.port !== '' ? parsed.port : DEFAULT_PORT[scheme];
  if (host === '' || port === undefined) return undefined;
  return `${scheme}://${host}:${Number(port)}`;
}

/** Internal (or kubernetes) endpoints are reached only through forward-internal, never on a listener. */
export function isInternalEndpoint(ep: { url: string; bindings?: string[] }): boolean {
  if (ep.bindings?.some((b) => b === 'internal' || b === 'kubernetes')) return true;
  try {
    return /\.internal$/i.test(new URL(ep.url).hostname);
  } catch {
    return false;
  }
}
