// Hostile input: whatever host, port, username or domain arrives (from an ngrok account, a metadata field, a
// technician's typo), no generated argv can carry an extra switch and no .rdp file or rdp:// URL an extra key.
// Each input either makes the plan throw, or yields a plan whose every argument and line has the expected shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLaunchPlan, FREERDP_STATE_LOG } from './plan';
import { decodeRdpFile, encodeRdpFile, RDP_FILE_KEYS } from './rdp-file';
import type { LaunchOptions, LaunchPlan, RdpClient, RdpOs } from './types';
import { formatAddress } from './validate';

const NASTY = [
  '-',
  '/',
  '+',
  ' ',
  '\t',
  '\r\n',
  '\n',
  '\r',
  '\0',
  '"',
  "'",
  '`',
  '%',
  ':',
  ';',
  '&',
  '=',
  '\\',
  '@',
  '[',
  ']',
  '\u2028',
  '\u0085',
  '\u00a0',
  'alternate full address:s:evil.example:3389',
  'drivestoredirect:s:*',
  '/p:hunter2',
  '/cert:ignore',
  '+auth-only',
  '-drive',
  '/drive:all,/',
  '/v:evil.example',
];
const piece = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 6 }),
  fc.stringMatching(/^[a-z0-9.-]{1,8}$/),
);
const hostile = fc.array(piece, { minLength: 0, maxLength: 6 }).map((parts) => parts.join(''));
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.integer(), fc.double());

const clients: Array<[RdpOs, RdpClient, string]> = [
  [
    'win32',
    {
      kind: 'mstsc',
      id: 'mstsc',
      name: 'mstsc',
      path: 'C:\\Windows\\System32\\mstsc.exe',
      version: null,
      viaRdpFile: false,
    },
    'C:\\Temp\\sitehop-rdp-x\\connection.rdp',
  ],
  [
    'win32',
    {
      kind: 'mstsc',
      id: 'mstsc-rdp-file',
      name: 'mstsc',
      path: 'C:\\Windows\\System32\\mstsc.exe',
      version: null,
      viaRdpFile: true,
    },
    'C:\\Temp\\sitehop-rdp-x\\connection.rdp',
  ],
  [
    'darwin',
    {
      kind: 'windows-app',
      id: 'windows-app',
      name: 'Windows App',
      path: '/usr/bin/open',
      version: null,
      bundleId: 'com.microsoft.rdc.macos',
    },
    '/tmp/sitehop-rdp-x/connection.rdp',
  ],
  [
    'darwin',
    { kind: 'rdp-url', id: 'rdp-url', name: 'rdp://', path: '/usr/bin/open', version: null },
    '/tmp/x.rdp',
  ],
  [
    'linux',
    {
      kind: 'freerdp',
      id: 'xfreerdp',
      name: 'xfreerdp',
      path: '/usr/bin/xfreerdp',
      version: '2.11.7',
      major: 2,
      promptsForPassword: false,
    },
    '/tmp/sitehop-rdp-x/connection.rdp',
  ],
  [
    'linux',
    {
      kind: 'remmina',
      id: 'remmina',
      name: 'Remmina',
      path: '/usr/bin/flatpak',
      version: null,
      flatpak: { app: 'org.remmina.Remmina' },
    },
    '/tmp/sitehop-rdp-x/connection.rdp',
  ],
];

const FREERDP_FIXED = new Set([
  '/f',
  '/multimon',
  '/admin',
  '/cert:tofu',
  '/dynamic-resolution',
  '+clipboard',
  '/from-stdin:force',
  FREERDP_STATE_LOG,
]);
const MSTSC_FIXED = new Set(['/f', '/multimon', '/admin']);

/** Checks one plan against the inputs it was built from; returns nothing, throws on a violation. */
function assertSafe(
  client: RdpClient,
  plan: LaunchPlan,
  host: string,
  p: number,
  o: LaunchOptions,
  file: string,
): void {
  const address = formatAddress(host, p);
  for (const a of plan.args) {
    // No argument can be broken into two by anything downstream.
    expect(a).not.toMatch(/[\r\n\0\u2028\u0085]/);
  }
  switch (client.kind) {
    case 'freerdp':
      expect(plan.args).toEqual(
        [
          `/v:${address}`,
          ...(o.username ? [`/u:${o.username}`] : []),
          ...(o.domain ? [`/d:${o.domain}`] : []),
        ].concat(plan.args.slice(1 + (o.username ? 1 : 0) + (o.domain ? 1 : 0))),
      );
      for (const a of plan.args.slice(1 + (o.username ? 1 : 0) + (o.domain ? 1 : 0)))
        expect(FREERDP_FIXED).toContain(a);
      expect(plan.stdin === null || plan.stdin === `${o.password}\n`).toBe(true);
      break;
    case 'mstsc':
      if (client.viaRdpFile) expect(plan.args).toEqual([...(o.admin ? ['/admin'] : []), file]);
      else {
        expect(plan.args[0]).toBe(`/v:${address}`);
        for (const a of plan.args.slice(1)) expect(MSTSC_FIXED).toContain(a);
      }
      break;
    case 'windows-app':
      expect(plan.args).toEqual(['-b', 'com.microsoft.rdc.macos', file]);
      break;
    case 'rdp-url': {
      expect(plan.args).toHaveLength(1);
      const url = plan.args[0]!;
      expect(url).toMatch(/^rdp:\/\/[A-Za-z0-9%._~:=&-]+$/);
      const keys = url
        .slice('rdp://'.length)
        .split('&')
        .map((kv) => decodeURIComponent(kv.split('=')[0]!));
      for (const k of keys) expect(Object.keys(RDP_FILE_KEYS)).toContain(k);
      expect(new Set(keys).size).toBe(keys.length);
      break;
    }
    case 'remmina':
      expect(plan.args.slice(0, 3)).toEqual(['run', 'org.remmina.Remmina', '-c']);
      expect(plan.args).toHaveLength(4);
      expect(plan.args[3]!.endsWith(`${address}`)).toBe(true);
      expect(plan.args[3]).not.toMatch(/[\s%]/);
      break;
    default:
      break;
  }
  if (plan.rdpFile) {
    const lines = decodeRdpFile(encodeRdpFile(plan.rdpFile.text));
    const seen = new Set<string>();
    for (const line of lines) {
      const m = /^([a-z ]+):([si]):(.*)$/.exec(line);
      expect(m).not.toBeNull();
      const [, key, type] = m!;
      expect(RDP_FILE_KEYS[key as keyof typeof RDP_FILE_KEYS]).toBe(type);
      expect(seen.has(key!)).toBe(false);
      seen.add(key!);
    }
    expect(lines).toContain(`full address:s:${address}`);
    // As many lines as CRLFs: no stray CR or LF split a value.
    expect(plan.rdpFile.text.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/).length).toBe(lines.length + 1);
  }
  expect(JSON.stringify({ args: plan.args, file: plan.rdpFile })).not.toContain('hunter2');
}

describe('hostile input never reaches argv or an .rdp file', () => {
  it.each(clients.map((c) => [c[1].id, ...c] as const))('%s', (_, os, client, file) => {
    fc.assert(
      fc.property(
        hostile,
        port,
        fc.option(hostile, { nil: undefined }),
        fc.option(hostile, { nil: undefined }),
        fc.record({
          admin: fc.boolean(),
          multimon: fc.boolean(),
          screen: fc.constantFrom('window', 'fullscreen'),
        } as const),
        (host, p, username, domain, flags) => {
          const options: LaunchOptions = {
            ...flags,
            username: username ?? null,
            domain: domain ?? null,
            password: 'hunter2',
          };
          let plan: LaunchPlan;
          try {
            plan = buildLaunchPlan(os, client, { host, port: p }, options, file);
          } catch {
            return; // refused: nothing would be spawned
          }
          assertSafe(
            client,
            plan,
            host,
            p,
            { ...options, username: username || null, domain: domain || null },
            file,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('accepts ordinary names, so the properties above are not passing only by refusing everything', () => {
    fc.assert(
      fc.property(
        fc.domain(),
        fc.integer({ min: 1, max: 65535 }),
        fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.]{0,19}$/),
        (host, p, username) => {
          for (const [os, client, file] of clients) {
            const plan = buildLaunchPlan(os, client, { host, port: p }, { username }, file);
            assertSafe(client, plan, host, p, { username, domain: null }, file);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
