// Workspaces against the real Secret Service (secret-tool proves where the key went) and the real sandbox API
// (the ngrok client's errors tell a wrong key from an agent authtoken or an API-key id).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index';
import { exportServicesEnv, testEnv, TestEnvNames } from '../../test-support/test-env';
import { createDirectoryCache } from '../directory/cache';
import type { AppError } from '../errors';
import { createKeyringSecretStore } from '../secrets/keyring-store';
import { filesContaining } from '../secrets/testing/scan-tree';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings } from '../settings/technician-settings';
import { createNgrokKeyVerifier } from './verify-key';
import { createWorkspaceService, DEFAULT_API_URL, envWorkspaceId } from './workspace-service';

const service = `sitehop-test-${randomUUID()}`;
const AUTHTOKEN = `agent-authtoken-${randomUUID()}`;
let sandbox: RunningSandbox;
/** A second account, with its own key. */
let other: RunningSandbox;
let home: string;

const keychainItems = (): string => {
  const r = spawnSync('secret-tool', ['search', '--all', 'service', service], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};

function setup(env: NodeJS.ProcessEnv = {}) {
  const settings = openTechnicianSettings({ home, open: openConfBackend });
  const cache = createDirectoryCache({ home });
  const workspaces = createWorkspaceService({
    settings,
    secrets: createKeyringSecretStore({ service }),
    verifyKey: createNgrokKeyVerifier(),
    env,
    onRemoved: (id) => cache.remove(id),
  });
  return { settings, cache, workspaces };
}

beforeAll(async () => {
  exportServicesEnv();
  testEnv(TestEnvNames.dbusAddress);
  sandbox = await startSandbox({
    state: { credentials: [{ id: 'cr_1', token: AUTHTOKEN } as never] },
    rateLimit: false,
    edge: false,
  });
  other = await startSandbox({ apiKey: `other-account-${randomUUID()}`, rateLimit: false, edge: false });
});
afterAll(async () => {
  await sandbox.close();
  await other.close();
  spawnSync('secret-tool', ['clear', 'service', service]);
});
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-ws-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('workspaces', () => {
  it('adds a verified workspace with its key in the keychain only, renames it, and removes key and cache', async () => {
    const { workspaces, cache } = setup();
    const ws = await workspaces.add({
      name: ' Acme MSP ',
      apiUrl: `${sandbox.apiUrl}/`,
      apiKey: `${sandbox.apiKey}\n`,
    });
    expect(ws).toMatchObject({ name: 'Acme MSP', apiUrl: sandbox.apiUrl, source: 'keychain' });
    expect(ws.id).toMatch(/^ws_[0-9a-f]{16}$/);
    expect(ws.id).not.toContain(sandbox.apiKey);
    expect(keychainItems()).toContain(`secret = ${sandbox.apiKey}`);
    expect(keychainItems()).toContain(`username = ${ws.id}`);
    expect(filesContaining(home, sandbox.apiKey)).toEqual([]);
    expect(await workspaces.credentials(ws.id)).toEqual({ apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey });

    // The same key again is the same account again: refused, whatever the name, and nothing more is stored.
    await expect(
      workspaces.add({ name: 'Acme again', apiUrl: sandbox.apiUrl, apiKey: ` ${sandbox.apiKey} ` }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('This API key is already the workspace "Acme MSP"') as unknown,
    });
    expect(workspaces.list().map((w) => w.name)).toEqual(['Acme MSP']);
    expect(keychainItems().match(/^secret = /gm)).toHaveLength(1);

    const second = await workspaces.add({ name: 'Other', apiUrl: other.apiUrl, apiKey: other.apiKey });
    expect(second.id).not.toBe(ws.id);
    expect(workspaces.list().map((w) => w.name)).toEqual(['Acme MSP', 'Other']);
    await expect(
      workspaces.add({ name: 'acme msp', apiUrl: other.apiUrl, apiKey: other.apiKey }),
    ).rejects.toMatchObject({ code: 'conflict', message: 'A workspace named "Acme MSP" already exists.' });
    expect(() => workspaces.rename(second.id, 'ACME MSP')).toThrow(/already exists/);
    expect(workspaces.rename(second.id, 'Beta').name).toBe('Beta');
    expect(workspaces.find('beta').id).toBe(second.id);

    cache.save({ workspaceId: ws.id, syncedAt: 'x', sites: [], counts: {} });
    expect(await workspaces.remove(ws.id)).toBe(true);
    expect(existsSync(path.join(home, 'cache', `${ws.id}.json`))).toBe(false);
    expect(keychainItems()).not.toContain(`username = ${ws.id}`);
    expect(keychainItems()).toContain(`username = ${second.id}`);
    expect(workspaces.list().map((w) => w.id)).toEqual([second.id]);
    await workspaces.remove(second.id);
    expect(keychainItems()).toBe('');
    await expect(workspaces.remove(second.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it.each([
    ['a wrong key', 'not-the-right-key-123456', /did not accept this API key/],
    ['an agent authtoken', AUTHTOKEN, /agent authtoken, not an API key/],
    ['an API-key id', 'ak_2ZyH0TKaUBMCzrQgEhUa4vEl6vA', /ID of an API key/],
  ])('refuses %s with its own message and stores nothing', async (_label, key, message) => {
    const { workspaces } = setup();
    const err = (await workspaces
      .add({ name: 'Acme', apiUrl: sandbox.apiUrl, apiKey: key })
      .catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('unauthorized');
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(key);
    expect(workspaces.list()).toEqual([]);
    expect(keychainItems()).toBe('');
    expect(filesContaining(home, key)).toEqual([]);
  });

  it('refuses an API that is not there, and a bad URL, before storing anything', async () => {
    const { workspaces } = setup();
    const closed = await startSandbox({ rateLimit: false, edge: false });
    const url = closed.apiUrl;
    await closed.close();
    await expect(workspaces.add({ name: 'Acme', apiUrl: url, apiKey: 'whatever-key' })).rejects.toMatchObject(
      { code: 'unavailable' },
    );
    await expect(
      workspaces.add({ name: 'Acme', apiUrl: 'ftp://127.0.0.1', apiKey: 'k' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(keychainItems()).toBe('');
  });

  it('uses SITEHOP_API_KEY as an env workspace that stores nothing and cannot be removed', async () => {
    const { workspaces } = setup({ SITEHOP_API_KEY: sandbox.apiKey, SITEHOP_API_URL: sandbox.apiUrl });
    const id = envWorkspaceId(sandbox.apiUrl, sandbox.apiKey);
    expect(workspaces.list()).toEqual([
      { id, name: 'Environment (SITEHOP_API_KEY)', apiUrl: sandbox.apiUrl, source: 'env' },
    ]);
    expect(await workspaces.credentials(id)).toEqual({ apiUrl: sandbox.apiUrl, apiKey: sandbox.apiKey });
    await expect(workspaces.remove(id)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(keychainItems()).toBe('');
    expect(filesContaining(home, sandbox.apiKey)).toEqual([]);
    expect(setup({ SITEHOP_API_KEY: 'k' }).workspaces.list()[0]?.apiUrl).toBe(DEFAULT_API_URL);
  });

  it("the env workspace's id names the account the key reaches: stable for a key, another for another key or API, never the key", () => {
    const id = envWorkspaceId('https://api.ngrok.com', 'key-one');
    expect(id).toMatch(/^env-[0-9a-f]{12}$/);
    expect(envWorkspaceId('https://api.ngrok.com', 'key-one')).toBe(id);
    expect(envWorkspaceId('https://api.ngrok.com', 'key-two')).not.toBe(id);
    expect(envWorkspaceId('http://127.0.0.1:4040', 'key-one')).not.toBe(id);
    const listed = setup({ SITEHOP_API_KEY: ' key-one ' }).workspaces.list()[0]!;
    expect(listed.id).toBe(id);
    expect(JSON.stringify(listed)).not.toContain('key-one');
  });
});
