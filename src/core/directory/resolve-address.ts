// scheme://host[:port] parsing for endpoint and forward-internal URLs. A hand-written pattern rather than
// `new URL`: these URLs use non-special schemes (tcp, tls) whose parsing differs across URL implementations,
// and the resolver must accept exactly host and port, nothing more.
import { memoByString } from './resolve-memo';

export interface HostPort {
  scheme: string;
  /** Without IPv6 brackets, ready to dial. */
  host: string;
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = { https: 443, tls: 443, http: 80 };

const URL_PATTERN =
  /^([a-z][a-z0-9+.-]{0,15}):\/\/(\[[0-9a-f:.]{2,45}\]|[a-z0-9_](?:[a-z0-9_.-]{0,252}))(?::(\d{1,5}))?\/?$/i;

/** Parses `tcp://1.tcp.ngrok.io:21234`; a TCP URL must name its port (ngrok rejects one without, ERR_NGROK_249). */
export function parseHostPort(url: string): HostPort | null {
  if (url.length > 300) return null;
  return urlMemo(url).hostPort;
}

/**
 * What the resolver reads from one URL text, in one memo: a new listing's URLs are new strings, and each first
 * lookup hashes the text, so one map asked once per URL instead of two (host/port and key) is half that work on a
 * new process's first resolve. `key` is filled on first use. The returned objects are shared: callers copy what
 * they keep.
 */
interface UrlFacts {
  hostPort: HostPort | null;
  key: string | null | undefined;
}

const urlMemo = memoByString((url: string): UrlFacts => ({ hostPort: readHostPort(url), key: undefined }));

function readHostPort(url: string): HostPort | null {
  const m = URL_PATTERN.exec(url);
  if (!m) return null;
  const scheme = (m[1] as string).toLowerCase();
  const rawHost = m[2] as string;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const port = m[3] === undefined ? DEFAULT_PORTS[scheme] : Number(m[3]);
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { scheme, host, port };
}

/** The schemes of cloud endpoints SiteHop lists as services (docs/architecture.md, directory rule 1). */
export const SERVICE_SCHEMES: ReadonlySet<string> = new Set(['tcp', 'tls', 'https']);

/** The scheme of a URL-ish string, or null. */
export function schemeOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]{0,15}):\/\//i.exec(url);
  return m ? (m[1] as string).toLowerCase() : null;
}

/**
 * A URL as ngrok compares endpoint URLs: scheme, host case-insensitively, port with the scheme's default filled
 * in (https and tls 443, http 80). `tls://db.x.internal:443` and `TLS://DB.x.internal` are the same endpoint.
 * Null when the URL is not scheme://host[:port].
 */
export function urlKey(url: string): string | null {
  // Only short texts are memoized (a URL longer than 300 characters after trimming is never a key anyway).
  if (url.length > 300) return readUrlKey(url);
  const facts = urlMemo(url);
  if (facts.key === undefined) {
    const trimmed = url.trim();
    facts.key = keyOf(trimmed === url ? facts.hostPort : parseHostPort(trimmed));
  }
  return facts.key;
}

/** Host/port and key of a URL the caller has already trimmed (resolve-read.ts text()), from one memo lookup. */
export function trimmedUrlFacts(url: string): { hostPort: HostPort | null; key: string | null } {
  if (url.length > 300) return NO_URL_FACTS;
  const facts = urlMemo(url);
  if (facts.key === undefined) facts.key = keyOf(facts.hostPort);
  return facts as { hostPort: HostPort | null; key: string | null };
}

const NO_URL_FACTS = { hostPort: null, key: null } as const;

function readUrlKey(url: string): string | null {
  return keyOf(parseHostPort(url.trim()));
}

function keyOf(hp: HostPort | null): string | null {
  return hp === null ? null : `${hp.scheme}://${hp.host.toLowerCase()}:${hp.port}`;
}

/** Internal hosts (`*.internal`) are reachable only through forward-internal, never dialled by a technician. */
export function isInternalHost(host: string): boolean {
  return /(?:^|\.)internal\.?$/i.test(host);
}
