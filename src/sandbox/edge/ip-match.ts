// CIDR matching for restrict-ips and CEL checks. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a dual-stack
// listener reports for an IPv4 client) are matched as the IPv4 address they carry, on both sides of the check.
import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [IpAddress, number];

/** Parses a client address; undefined when it is not an IP address at all. */
export function parseClientIp(text: string | undefined): IpAddress | undefined {
  if (!text || !ipaddr.isValid(text)) return undefined;
  return ipaddr.process(text);
}

/** Parses a CIDR ("10.0.0.0/8", "::/0"); a bare address counts as a single-host range. Throws on anything else. */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  let addr: IpAddress;
  let bits: number;
  if (trimmed.includes('/')) {
    [addr, bits] = ipaddr.parseCIDR(trimmed);
  } else {
    addr = ipaddr.parse(trimmed);
    bits = addr.kind() === 'ipv4' ? 32 : 128;
  }
  if (addr instanceof ipaddr.IPv6 && bits >= 96 && addr.isIPv4MappedAddress()) {
    return [addr.toIPv4Address(), bits - 96];
  }
  return [addr, bits];
}

export function inCidr(ip: IpAddress, [base, bits]: Cidr): boolean {
  // IPv4 and IPv6 ranges never match each other: ngrok wants "0.0.0.0/0" and "::/0" listed separately.
  if (ip instanceof ipaddr.IPv4 && base instanceof ipaddr.IPv4) return ip.match(base, bits);
  if (ip instanceof ipaddr.IPv6 && base instanceof ipaddr.IPv6) return ip.match(base, bits);
  return false;
}

export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const ip = parseClientIp(host);
  return ip !== undefined && ip.range() === 'loopback';
}
