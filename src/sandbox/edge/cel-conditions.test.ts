import { describe, expect, it } from 'vitest';
import { evaluateCel, UnsupportedCel } from './cel-conditions';

const facts = { clientIp: '192.0.2.7', clientPort: 40000, serverIp: '127.0.0.1', serverPort: 21000 };

describe('evaluateCel (the sandbox subset)', () => {
  it.each([
    ["conn.client_ip == '192.0.2.7'", true],
    ['conn.client_ip != "192.0.2.7"', false],
    ["conn.client_ip in ['198.51.100.1', '192.0.2.7']", true],
    ["inCidrRange(conn.client_ip, '192.0.2.0/24')", true],
    ["!inCidrRange(conn.client_ip, '192.0.2.0/24')", false],
    ["inCidrRanges(conn.client_ip, ['10.0.0.0/8', '::/0'])", false],
    ['conn.server_port == 21000 && conn.client_port != 22', true],
    ["(conn.client_ip == '1.1.1.1' || conn.server_ip == '127.0.0.1') && true", true],
    ['false', false],
  ])('%s → %s', (expression, expected) => {
    expect(evaluateCel(expression, facts)).toBe(expected);
  });

  it.each([
    "conn.geo.country_code == 'US'",
    "conn.client_ip.startsWith('192')",
    'size(conn.client_ip) > 3',
    "inCidrRange(conn.client_ip, 'bogus')",
    'conn.client_port',
    "conn.client_ip == '1",
    '',
  ])('reports %j as unsupported', (expression) => {
    expect(() => evaluateCel(expression, facts)).toThrow(UnsupportedCel);
  });
});
