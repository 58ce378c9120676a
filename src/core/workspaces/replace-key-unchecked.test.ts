// When a replacement key cannot be compared with the workspace's account, whether it is stored depends on whether
// the workspace was ever synced: its notes, usernames, pins and remembered passwords are that account's. Pure logic
// over the workspace service (real settings file in a temporary home; the key check and the keychain are stand-ins:
// the real ones are proven in replace-key.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../shared/directory-types';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings } from '../settings/technician-settings';
import type { AccountProbe } from './account-probe';
import { savedSites } from './testing/saved-sites';
import { createWorkspaceService, type AccountMatch } from './workspace-service';

/** A saved directory of one SSH service on a reserved TCP address. */
const sitesWithAddress = savedSites([['ssh', '1.tcp.ngrok.io', 21234]]);

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'sitehop-rekey-unchecked-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** A stored workspace "Acme" whose saved directory is `sites` (null: never synced), and no account objects kept. */
async function acme(sites: Site[] | null, answer: AccountMatch = 'unchecked') {
  const secrets = memorySecretStore();
  const asked: AccountProbe[][] = [];
  const workspaces = createWorkspaceService({
    settings: openTechnicianSettings({ home, open: openConfBackend }),
    secrets,
    verifyKey: async () => undefined,
    verifyReplacementKey: async (_credentials, probes) => {
      asked.push(probes);
      return { match: answer, requests: 1 };
    },
    keptAccount: () => null,
    keptSites: () => sites,
    env: {},
  });
  const ws = await workspaces.add({ name: 'Acme', apiUrl: 'https://api.ngrok.com', apiKey: 'old-key-0123' });
  return { workspaces, id: ws.id, asked, key: () => secrets.get(ws.id) };
}

describe('a replacement key with nothing to compare', () => {
  it('a workspace never synced (nothing kept for its devices) takes it after the plain key check', async () => {
    const { workspaces, id, asked, key } = await acme(null);
    await workspaces.replaceKey(id, 'new-key-0123');
    expect(asked).toEqual([[]]);
    expect(await key()).toBe('new-key-0123');
  });

  it('a synced workspace whose saved directory has no address to ask about refuses it, before any request', async () => {
    const { workspaces, id, asked, key } = await acme([]);
    await expect(workspaces.replaceKey(id, 'new-key-0123')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/cannot tell whether this API key reaches the ngrok account of "Acme"/),
    });
    expect(asked).toEqual([]);
    expect(await key()).toBe('old-key-0123');
  });

  it('a synced workspace refuses it when the key check could not tell the account (an API that refused the filter)', async () => {
    const { workspaces, id, asked, key } = await acme(sitesWithAddress);
    await expect(workspaces.replaceKey(id, 'new-key-0123')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/cannot tell whether this API key reaches the ngrok account of "Acme"/),
    });
    expect(asked.map((probes) => probes.map((p) => p.field))).toEqual([['addr']]);
    expect(await key()).toBe('old-key-0123');
  });
});
