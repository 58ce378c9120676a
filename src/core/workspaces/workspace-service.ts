// Workspaces: one ngrok account seen through one API key. The record (id, name, API URL) lives in the settings;
// the key lives only in the keychain, under the workspace id. SITEHOP_API_KEY (+ SITEHOP_API_URL) adds an "env"
// workspace that uses the key from the environment and stores nothing, for scripts and CI.
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors';
import type { Site } from '../../shared/directory-types';
import type { AccountObjects } from '../ngrok/types';
import { accountProbes, type AccountProbe } from './account-probe';
import type { SecretStore } from '../secrets/secret-store';
import type { WorkspaceRecord } from '../settings/settings-schema';
import type { TechnicianSettings } from '../settings/technician-settings';

export const DEFAULT_API_URL = 'https://api.ngrok.com';
/** The environment workspace's id is this prefix and a short hash of its API URL and key: envWorkspaceId. */
export const ENV_WORKSPACE_PREFIX = 'env-';

/**
 * The environment workspace's id, for the key SITEHOP_API_KEY holds (not the account it reaches, which only an API
 * call could tell: a new key for the same account is another workspace, whose pins and records start empty). Remembered secrets, host-key pins, notes,
 * usernames, favorites and recents are kept per workspace id, and device ids repeat across accounts: one fixed id
 * ("env", before) let two accounts' same-named devices share them. The id is stable across runs for one key and
 * differs between keys without any API call (the workspace list is synchronous, and the budget is the account's).
 * Ids are written in clear (settings, pins, keychain account names), so never the key: 12 hex digits (48 bits) of
 * SHA-256 over the API URL and the key. ngrok's key tokens carry no documented non-secret part, so the key itself is
 * hashed; truncated, the id cannot confirm a guess of a key (2^48 ids for keys of far more entropy: every id stands
 * for countless keys), and salted with the API URL it differs per API (the same key on a sandbox and on ngrok) and
 * matches no table made for other uses of the key. Two accounts collide with odds of 2^-48.
 */
export function envWorkspaceId(apiUrl: string, apiKey: string): string {
  const digest = createHash('sha256').update(`sitehop env workspace\0${apiUrl}\0${apiKey}`).digest('hex');
  return `${ENV_WORKSPACE_PREFIX}${digest.slice(0, 12)}`;
}
export const DEMO_WORKSPACE_ID = 'demo';

export interface Workspace {
  id: string;
  name: string;
  apiUrl: string;
  source: 'keychain' | 'env' | 'demo';
}

export interface Credentials {
  apiUrl: string;
  apiKey: string;
}

/** Checks a key against the API; throws the client's error (its message tells a wrong key from an authtoken). */
export type VerifyKey = (credentials: Credentials) => Promise<void>;

/** 'same': the key sees objects the workspace's last sync kept; 'other': none of them; 'unchecked': none to compare. */
export type AccountMatch = 'same' | 'other' | 'unchecked';
/**
 * Checks a replacement key like VerifyKey (throws the same errors) and, in the same request(s), whether it reaches
 * the account of the probes' ids (account-probe.ts). `requests`: API requests it made.
 */
export type VerifyReplacementKey = (
  credentials: Credentials,
  probes: AccountProbe[],
) => Promise<{ match: AccountMatch; requests: number }>;

export interface WorkspaceServiceDeps {
  settings: TechnicianSettings;
  secrets: SecretStore;
  verifyKey: VerifyKey;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /**
   * Drops a workspace's cached data while it is being removed (awaited), before the workspace list is saved
   * without it: a removal cut short leaves the workspace listed, and removing it again finishes.
   */
  onRemoved?: (id: string) => void | Promise<void>;
  /** For replaceKey: the key check that also tells the account (verify-key.ts); without it, replaceKey refuses. */
  verifyReplacementKey?: VerifyReplacementKey;
  /** The raw account objects the workspace's last good sync kept (its account cache), or null. */
  keptAccount?: (id: string) => AccountObjects | null;
  /** The sites of the workspace's saved directory, or null when it was never synced. */
  keptSites?: (id: string) => readonly Site[] | null;
  /** Deletes the device secrets remembered in the workspace (the ones its index names); awaited before the key. */
  forgetRemembered?: (id: string) => Promise<number>;
  /**
   * Drops the workspace's host-key pins, while its record is still stored: a pins file of a version before the
   * per-workspace scope is moved under the stored workspaces on its first read, and without the removed one there
   * the workspace left would take its pins.
   */
  forgetPins?: (id: string) => void;
  newId?: () => string;
  /** The built-in demo, listed while no real workspace exists (a first run with no ngrok account)… */
  demo?: DemoProvider;
  /** …or while the technician keeps it in the switcher. */
  demoPinned?: () => boolean;
}

export interface DemoProvider {
  name: string;
  apiUrl: string;
  /** Starts the demo back end on first use and returns where to reach it. */
  credentials(): Promise<Credentials>;
}

export interface WorkspaceService {
  list(): Workspace[];
  get(id: string): Workspace;
  /** By id, or by name (case-insensitive), for the CLI. */
  find(idOrName: string): Workspace;
  add(input: { name: string; apiUrl?: string | undefined; apiKey: string }): Promise<Workspace>;
  rename(id: string, name: string): Workspace;
  remove(id: string): Promise<boolean>;
  /**
   * Puts a new API key in the keychain item of a stored workspace (the old one overwritten), keeping its id, name,
   * API URL, cache and every record kept under its id. Verified first: a refused key changes nothing. A key of
   * another ngrok account is refused (the records are the old customer's).
   */
  replaceKey(id: string, apiKey: string): Promise<Workspace>;
  credentials(id: string): Promise<Credentials>;
}

export function normalizeApiUrl(raw: string | undefined): string {
  const text = (raw ?? DEFAULT_API_URL).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('invalid_input', `"${text}" is not a valid API URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('invalid_input', `The API URL must start with https:// (got "${url.protocol}").`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('invalid_input', 'The API URL must not carry a user, password, query or fragment.');
  }
  return url.href.replace(/\/+$/, '');
}

const toWorkspace = (r: WorkspaceRecord): Workspace => ({
  id: r.id,
  name: r.name,
  apiUrl: r.apiUrl,
  source: 'keychain',
});

export function createWorkspaceService(deps: WorkspaceServiceDeps): WorkspaceService {
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => `ws_${randomBytes(8).toString('hex')}`);

  const envWorkspace = (): Workspace | null => {
    const key = env.SITEHOP_API_KEY?.trim();
    if (!key) return null;
    let apiUrl: string;
    try {
      apiUrl = normalizeApiUrl(env.SITEHOP_API_URL || undefined);
    } catch (err) {
      // Every listing goes through here: name the variable, or the technician looks at the stored workspaces.
      throw new AppError(
        'invalid_input',
        `SITEHOP_API_URL: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    }
    return { id: envWorkspaceId(apiUrl, key), name: 'Environment (SITEHOP_API_KEY)', apiUrl, source: 'env' };
  };

  const list = (): Workspace[] => {
    const fromEnv = envWorkspace();
    const real = [...(fromEnv ? [fromEnv] : []), ...deps.settings.workspaces().map(toWorkspace)];
    if (!deps.demo || (real.length > 0 && !deps.demoPinned?.())) return real;
    return [
      ...real,
      { id: DEMO_WORKSPACE_ID, name: deps.demo.name, apiUrl: deps.demo.apiUrl, source: 'demo' },
    ];
  };

  const get = (id: string): Workspace => {
    const found = list().find((w) => w.id === id);
    if (!found) throw new AppError('not_found', 'That workspace does not exist (it may have been removed).');
    return found;
  };

  const assertNameFree = (
    name: string,
    exceptId?: string,
    current: readonly WorkspaceRecord[] = deps.settings.workspaces(),
  ): void => {
    const clash = current.find((w) => w.id !== exceptId && w.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new AppError('conflict', `A workspace named "${clash.name}" already exists.`);
  };

  // The same key twice is the same account twice: two caches, and twice the syncs against the account's shared
  // 120 requests a minute. One keychain read per stored workspace on that API URL, before the key is sent anywhere.
  const assertKeyNew = async (apiUrl: string, apiKey: string, exceptId?: string): Promise<void> => {
    for (const w of deps.settings.workspaces()) {
      if (w.id === exceptId || w.apiUrl !== apiUrl || (await deps.secrets.get(w.id)) !== apiKey) continue;
      throw new AppError(
        'conflict',
        `This API key is already the workspace "${w.name}": pick that one in the workspace list (or rename it).`,
      );
    }
  };

  const stored = (id: string): WorkspaceRecord => {
    const record = deps.settings.workspaces().find((w) => w.id === id);
    if (!record) {
      if (id === DEMO_WORKSPACE_ID && deps.demo) {
        throw new AppError('invalid_input', 'The demo workspace goes away by itself once you add your own.');
      }
      if (id === envWorkspace()?.id) {
        throw new AppError(
          'invalid_input',
          'The environment workspace comes from SITEHOP_API_KEY; change the environment instead.',
        );
      }
      throw new AppError('not_found', 'That workspace does not exist (it may have been removed).');
    }
    return record;
  };

  return {
    list,
    get,
    find(idOrName) {
      const all = list();
      const found =
        all.find((w) => w.id === idOrName) ??
        all.find((w) => w.name.toLowerCase() === idOrName.trim().toLowerCase());
      if (!found) throw new AppError('not_found', `There is no workspace named "${idOrName}".`);
      return found;
    },

    async add(input) {
      const name = input.name.trim();
      const apiKey = input.apiKey.trim();
      if (!name) throw new AppError('invalid_input', 'The workspace needs a name.');
      if (!apiKey) throw new AppError('invalid_input', 'The API key is empty.');
      const apiUrl = normalizeApiUrl(input.apiUrl);
      assertNameFree(name);
      await assertKeyNew(apiUrl, apiKey);
      // Verify first: nothing is stored for a key the API rejects.
      await deps.verifyKey({ apiUrl, apiKey });
      const record: WorkspaceRecord = { id: newId(), name, apiUrl, createdAt: now().toISOString() };
      await deps.secrets.set(record.id, apiKey);
      try {
        // Added to the list as it is now (under the settings file's lock): a workspace the other process (app or
        // CLI) added or renamed meanwhile stays, and a name it took meanwhile is refused here.
        deps.settings.saveWorkspaces((current) => {
          assertNameFree(name, undefined, current);
          return [...current, record];
        });
      } catch (err) {
        await deps.secrets.delete(record.id).catch(() => false);
        throw err;
      }
      return toWorkspace(record);
    },

    rename(id, rawName) {
      const name = rawName.trim();
      if (!name) throw new AppError('invalid_input', 'The workspace needs a name.');
      let renamed = stored(id);
      deps.settings.saveWorkspaces((current) => {
        // Removed by the other process since: stored() says so.
        const record = current.find((w) => w.id === id) ?? stored(id);
        assertNameFree(name, id, current);
        renamed = { ...record, name };
        return current.map((w) => (w.id === id ? renamed : w));
      });
      return toWorkspace(renamed);
    },

    async replaceKey(id, rawKey) {
      const record = stored(id);
      const apiKey = rawKey.trim();
      if (!apiKey) throw new AppError('invalid_input', 'The API key is empty.');
      if (!deps.verifyReplacementKey)
        throw new AppError('internal', 'Replacing an API key is not available here.');
      await assertKeyNew(record.apiUrl, apiKey, id);
      // Verified before anything is stored: a refused key leaves the old one in the keychain.
      const account = deps.keptAccount?.(id) ?? null;
      const sites = deps.keptSites?.(id) ?? null;
      const probes = accountProbes(account, sites);
      // Synced once, the workspace may keep notes, usernames, pins and passwords for that account's devices: the new
      // key must be shown to reach it. Only a workspace never synced takes a key unchecked.
      const synced = account !== null || sites !== null;
      const cannotTell = (): AppError =>
        new AppError(
          'conflict',
          `SiteHop cannot tell whether this API key reaches the ngrok account of "${record.name}" (nothing it could ask that account about is kept from its last sync). Its notes, favorites and pinned host keys belong to that customer, so the key was not stored: add it as a new workspace instead.`,
        );
      if (synced && probes.length === 0) throw cannotTell();
      const { match } = await deps.verifyReplacementKey({ apiUrl: record.apiUrl, apiKey }, probes);
      // Asked, yet not told (an API that refused the filter): as unknown as having nothing to ask.
      if (match === 'unchecked' && synced) throw cannotTell();
      if (match === 'other') {
        throw new AppError(
          'conflict',
          `This API key reaches another ngrok account than "${record.name}": none of the endpoints and addresses it last synced are there. Its notes, favorites and pinned host keys belong to that customer, so the key was not stored: add it as a new workspace instead.`,
        );
      }
      // Removed or renamed while the key was being checked: the record as it is now, if it still is.
      const current = stored(id);
      // The same keychain item (the account is the workspace id): the old key is overwritten, not left beside it.
      await deps.secrets.set(id, apiKey);
      return toWorkspace(current);
    },

    async remove(id) {
      const record = stored(id);
      // The keychain items go first, remembered secrets then the key: if the keychain is unavailable (or the app
      // stops half-way) the workspace stays listed, and removing it again deletes what is left. Then its pins (read
      // while it is still stored: review4), its records and its cache, and only then the list without it: saved
      // first, a stop between left notes, usernames, favorites and a cache that no workspace shows, for good.
      await deps.forgetRemembered?.(record.id);
      await deps.secrets.delete(record.id);
      deps.forgetPins?.(record.id);
      deps.settings.forgetWorkspace(id);
      await deps.onRemoved?.(id);
      deps.settings.saveWorkspaces((current) => current.filter((w) => w.id !== id));
      return true;
    },

    async credentials(id) {
      const workspace = get(id);
      if (workspace.source === 'env')
        return { apiUrl: workspace.apiUrl, apiKey: env.SITEHOP_API_KEY!.trim() };
      if (workspace.source === 'demo' && deps.demo) return deps.demo.credentials();
      const apiKey = await deps.secrets.get(id);
      if (!apiKey) {
        throw new AppError(
          'unauthorized',
          `No API key is stored for workspace "${workspace.name}": give it one with Replace API key (sitehop workspace set-key), which keeps its records.`,
        );
      }
      return { apiUrl: workspace.apiUrl, apiKey };
    },
  };
}
