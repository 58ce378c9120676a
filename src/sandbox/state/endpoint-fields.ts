// The fields ngrok computes on every endpoint it lists, from the endpoint's URL: public_url, proto, scheme, host,
// port, hostport, and the binding (`internal` for a .internal host, else `public`, when the state names none).
// State files and the admin API give a URL; the sandbox lists what ngrok would.
import type { Endpoint } from '../../core/ngrok/types';

const DEFAULT_PORTS: Record<string, number> = { https: 443, tls: 443, http: 80 };

export interface UrlParts {
  scheme: string;
  host: string;
  /** Undefined when the URL names none and its scheme has no default (a TCP URL without a port). */
  port: number | undefined;
}

/** scheme://host[:port][/] as ngrok accepts endpoint URLs; undefined when it is not one. */
export function urlParts(url: string): UrlParts | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+)(?::(\d{1,5}))?\/?$/.exec(url.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_PORTS[scheme];
  if (port !== undefined && port > 65535) return undefined;
  return { scheme, host: m[2]!, port };
}

/** Fills (overwrites) the computed fields from `url`; leaves an endpoint whose URL it cannot read as it is. */
export function fillComputedFields(ep: Endpoint): Endpoint {
  if (typeof ep.url !== 'string') return ep;
  const parts = urlParts(ep.url);
  if (!parts || parts.port === undefined) return ep;
  ep.public_url = ep.url;
  ep.proto = parts.scheme;
  ep.scheme = parts.scheme;
  ep.host = parts.host;
  ep.port = parts.port;
  ep.hostport = `${parts.host}:${parts.port}`;
  if (!Array.isArray(ep.bindings) || ep.bindings.length === 0)
    ep.bindings = [/\.internal$/i.test(parts.host) ? 'internal' : 'public'];
  return ep;
}
