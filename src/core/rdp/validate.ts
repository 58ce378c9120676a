// Checks every value that ends up in an RDP client's argv or .rdp file. A value that passes can never be read as
// a client switch (no leading '-' or '/'), never split an argument or a line (no whitespace, quotes or control
// characters), and never smuggle a second .rdp key. Failures are AppErrors a technician can read.
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors';

// Letters, digits and - per label; 1-63 per label, 253 overall (RFC 1123). No leading/trailing hyphen.
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
// A login name as Windows accepts it, narrowed: DOMAIN\user, user@domain.tld, .\user, letters of any script
// ("Müller"). No spaces, quotes, ':', '%', nothing that is not a letter, digit or one of _ . @ \ $ -.
const USERNAME = /^[\p{L}\p{N}_.@\\$-]{1,100}$/u;
const DOMAIN = /^[A-Za-z0-9_.-]{1,100}$/;

/** Host names, IPv4 and IPv6 literals (without brackets). Returns the host as given. */
export function validateHost(host: string): string {
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) {
    throw new AppError('invalid_input', 'The device address has no valid host name.');
  }
  if (ipaddr.IPv6.isValid(host) && host.includes(':')) {
    // Zone ids (%eth0) and anything ipaddr tolerates beyond hex, ':' and '.' are refused.
    if (!/^[0-9A-Fa-f:.]+$/.test(host)) throw invalidHost();
    return host;
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return host;
  const labels = host.replace(/\.$/, '').split('.');
  if (labels.length === 0 || !labels.every((l) => HOST_LABEL.test(l))) throw invalidHost();
  // Names made only of numbers (1.2.3, 0x7f.1, 017.1) are not proper IPv4 addresses but inet_aton reads them as
  // one, so they are refused; a name with any other label (0x.a.example) is an ordinary host name.
  if (labels.every((l) => /^(0x[0-9a-f]*|[0-9]+)$/i.test(l))) throw invalidHost();
  return host;
}

const invalidHost = (): AppError =>
  new AppError('invalid_input', 'The device address is not a valid host name or IP address.');

export function validatePort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AppError('invalid_input', 'The device address has no valid port (1-65535).');
  }
  return port;
}

export function validateUsername(username: string): string {
  if (!USERNAME.test(username) || username.startsWith('-') || username.startsWith('/')) {
    throw new AppError(
      'invalid_input',
      'The RDP username may use letters, digits and . _ - @ \\ $ only, and may not start with - or /.',
    );
  }
  return username;
}

export function validateDomain(domain: string): string {
  if (!DOMAIN.test(domain) || domain.startsWith('-') || domain.startsWith('/')) {
    throw new AppError(
      'invalid_input',
      'The RDP domain may use letters, digits and . _ - only, and may not start with - or /.',
    );
  }
  return domain;
}

/** host:port as clients take it; IPv6 in brackets. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** True when a string could carry a second argument, a line break or a switch: used by the property tests too. */
export function hasUnsafeCharacters(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\s"'`\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(value);
}
