// What a technician's mistake prints, through runCli on a real home folder (no API, no keychain: every case stops
// before either): a workspace subcommand's usage error names the subcommand and its own usage line (it printed
// "sitehop workspace: ..." and "workspace add|list|rename|set-key|remove …"), a workspace name that matches none
// lists the workspaces as --workspace does, a bad SITEHOP_API_URL is named, and "sitehop help COMMAND" is the
// command's help.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run';
import { captureIo } from './testing/capture-io';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-usage-lines-'));
  const workspace = { name: 'Acme', apiUrl: 'https://api.ngrok.com', createdAt: '2026-12-01T00:00:00Z' };
  writeFileSync(
    path.join(home, 'settings.json'),
    JSON.stringify({ workspaces: [{ id: 'ws_acme', ...workspace }] }),
  );
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const run = async (args: string[], stdin = '') => {
  const io = captureIo({ SITEHOP_HOME: home, PATH: process.env.PATH }, stdin);
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
};

describe('usage errors say what to type', () => {
  it("a workspace subcommand's mistake names the subcommand and prints its own usage line", async () => {
    expect(await run(['workspace', 'add', '--api-key-stdin'], 'key')).toEqual({
      code: 2,
      out: '',
      err: 'sitehop workspace add: --name is required.\nUsage: sitehop workspace add --name NAME [--api-url URL] [--api-key-stdin]\n',
    });
    expect((await run(['workspace', 'rename', 'Acme'])).err).toBe(
      'sitehop workspace rename: --name NEW is required.\nUsage: sitehop workspace rename NAME --name NEW\n',
    );
    expect((await run(['workspace', 'remove'])).err).toBe(
      'sitehop workspace remove: name the workspace to remove.\nUsage: sitehop workspace remove NAME\n',
    );
    expect((await run(['workspace', 'list', '--bogus'])).err).toBe(
      "sitehop workspace list: Unknown option '--bogus'.\nUsage: sitehop workspace list [--json]\n",
    );
    // No subcommand, or an unknown one: the command's usage line, which lists them.
    expect((await run(['workspace', 'constructor'])).err).toBe(
      'sitehop workspace: unknown subcommand "constructor".\nUsage: sitehop workspace add|list|rename|set-key|remove …\n',
    );
  });

  it('a workspace name that matches none lists the workspaces (rename, set-key, remove)', async () => {
    for (const [sub, extra] of [
      ['rename', ['--name', 'Other']],
      ['set-key', ['--key-stdin']],
      ['remove', []],
    ] as const) {
      const r = await run(['workspace', sub, 'Acne', ...extra], 'a-new-key');
      expect(r.code, sub).toBe(2);
      expect(r.err.split('\n')[0], sub).toBe(
        `sitehop workspace ${sub}: There is no workspace named "Acne". The workspaces: "Acme".`,
      );
    }
    expect((await run(['workspace', 'list', '--json'])).out).toContain('"name": "Acme"');
  });

  it('a SITEHOP_API_URL that is no URL is named as the variable it is', async () => {
    const io = captureIo({
      SITEHOP_HOME: home,
      SITEHOP_API_KEY: 'some-key',
      SITEHOP_API_URL: 'api.ngrok.com',
    });
    expect(await runCli(['workspace', 'list'], io)).toBe(2);
    expect(io.err()).toBe(
      'sitehop workspace list: SITEHOP_API_URL: "api.ngrok.com" is not a valid API URL.\n',
    );
  });

  it('"sitehop help COMMAND" prints the command\'s help', async () => {
    const sync = await run(['help', 'sync']);
    expect(sync).toEqual({ ...(await run(['sync', '--help'])), code: 0 });
    expect(sync.out).toMatch(/^Usage: sitehop sync /);
    expect((await run(['help', 'workspace'])).out).toMatch(/^Usage:\n {2}sitehop workspace add /);
    expect((await run(['help'])).out).toMatch(/^sitehop: reach customer devices/);
  });
});
