// Early exits in words, from FreeRDP 2.11.7's real output shapes (recorded on this machine) and its ERRCONNECT names.
import { describe, expect, it } from 'vitest';
import { explainExit, firstErrorLine, type ExitContext } from './explain-exit';

const base: ExitContext = {
  clientName: 'xfreerdp 2.11.7',
  kind: 'freerdp',
  code: 147,
  signal: null,
  output: '',
  deviceName: 'Front Desk',
  restricted: false,
};
const line = (level: string, tag: string, text: string) =>
  `[21:03:28:423] [15223:15226] [${level}][${tag}] - ${text}`;
const state = (from: string, to: string) =>
  line(
    'DEBUG',
    'com.freerdp.core.connection',
    `rdp_client_transition_to_state CONNECTION_STATE_${from} --> CONNECTION_STATE_${to}`,
  );
const transport = line(
  'ERROR',
  'com.freerdp.core',
  'transport_read_layer:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]',
);

describe('explainExit', () => {
  it('a server that drops the connection during NLA refused the password', () => {
    const output = [state('INITIAL', 'NEGO'), state('NEGO', 'NLA'), transport, state('NLA', 'INITIAL')].join(
      '\n',
    );
    expect(explainExit({ ...base, output })).toBe(
      'Front Desk ended the connection during the login: the password was refused (or the username is wrong).',
    );
  });

  it('a connection closed before NLA was refused; restrict-ips is named when the address has one', () => {
    const output = [state('INITIAL', 'NEGO'), transport, state('NEGO', 'INITIAL')].join('\n');
    expect(explainExit({ ...base, output })).toMatch(
      /refused or closed before RDP started\. The device or its agent/,
    );
    expect(explainExit({ ...base, output, restricted: true })).toMatch(/restrict-ips/);
  });

  it('maps the server-reported logon errors', () => {
    for (const [err, want] of [
      ['ERRCONNECT_LOGON_FAILURE [0x00020014]', /refused the password/],
      ['ERRCONNECT_PASSWORD_EXPIRED', /has expired/],
      ['ERRCONNECT_ACCOUNT_LOCKED_OUT', /locked out/],
      ['ERRCONNECT_DNS_NAME_NOT_FOUND', /could not be resolved/],
    ] as const) {
      expect(explainExit({ ...base, output: line('ERROR', 'com.freerdp.core', err) })).toMatch(want);
    }
  });

  it('a certificate name mismatch alone is no failure reason (ngrok addresses never match the PC name)', () => {
    const output = [
      line('ERROR', 'com.freerdp.crypto', '@           WARNING: CERTIFICATE NAME MISMATCH!           @'),
      state('NEGO', 'NLA'),
      transport,
    ].join('\n');
    expect(explainExit({ ...base, output })).toMatch(/password was refused/);
  });

  it("otherwise the exit code and the first error line, without FreeRDP's log prefix", () => {
    const output = [
      'Password: ',
      line('INFO', 'x', 'hello'),
      line('ERROR', 'com.freerdp.client', 'something odd happened'),
    ].join('\n');
    expect(explainExit({ ...base, code: 1, output })).toBe(
      'xfreerdp 2.11.7 exited with code 1: something odd happened',
    );
    expect(firstErrorLine('plain text line\n')).toBe('plain text line');
    expect(explainExit({ ...base, kind: 'mstsc', clientName: 'mstsc', code: null, signal: 'SIGKILL' })).toBe(
      'mstsc was stopped (SIGKILL).',
    );
  });
});
