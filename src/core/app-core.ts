// The composition root shared by the Electron main process and the browser harness: the same handlers, the same
// dispatcher, the same event hub. Transports only carry bytes; everything that decides lives here.
// createCoreServices is the part the CLI shares: it builds the services without the hub or background refresh.
import { createDirectoryCache, type DirectoryCache } from './directory/cache';
import { startSyncScheduler, type SyncScheduler, type Timers } from './directory/sync-scheduler';
import {
  createDirectoryService,
  type DirectoryEvents,
  type DirectoryService,
} from './directory/sync-service';
import { createNgrokSyncSource, type NgrokClientTuning, type SyncSource } from './directory/sync-source';
import { createBuiltInDemo, withDemoLogin, type StartDemo } from './demo/built-in-demo';
import { createDemoHandlers } from './handlers/demo';
import { createAppHandlers } from './handlers/app';
import { createDirectoryHandlers } from './handlers/directory';
import { createRdpHandlers } from './handlers/rdp';
import { launcherFromServices, type LauncherOverrides } from './rdp/launcher-from-services';
import { createSshHandlers } from './handlers/ssh';
import { openHostKeyPins } from './ssh/host-key-pins';
import { envWorkspaceIdOf } from './settings/legacy-owners';
import { createSshSessionManager, type SshManagerDeps } from './ssh/session-manager';
import { createFirstScreen, forgetFirstScreen, type FirstScreen } from './first-screen/first-screen';
import { APP_VERSION } from './version';
import { createUiHandlers } from './handlers/ui';
import { startHeartbeat } from './heartbeat';
import { watchHome } from './home-watch';
import { createDispatcher, type Dispatch, type Handlers } from './rpc/dispatch';
import { EventHub } from './rpc/event-hub';
import { createKeyringSecretStore, KEYCHAIN_SERVICE } from './secrets/keyring-store';
import { createDeviceCredentials, type DeviceCredentials } from './secrets/device-credentials';
import { openRememberedIndex } from './secrets/remembered-index';
import type { SecretStore } from './secrets/secret-store';
import { openConfBackend, type OpenSettingsBackend } from './settings/settings-backend';
import { openTechnicianSettings, type TechnicianSettings } from './settings/technician-settings';
import { createNgrokKeyVerifier, createReplacementKeyVerifier } from './workspaces/verify-key';
import {
  createWorkspaceService,
  DEMO_WORKSPACE_ID,
  type DemoProvider,
  type VerifyKey,
  type WorkspaceService,
} from './workspaces/workspace-service';

export interface ServiceDeps {
  /** Data directory (settings, cache). */
  home: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  log?: (line: string) => void;
  /** The keychain; default: the OS keychain (Secret Service on Linux). */
  secretStore?: SecretStore;
  /** Opens the settings store; default `conf`. Main passes electron-store (same API) here. */
  openSettings?: OpenSettingsBackend;
  /** fetch for the ngrok API; default global fetch. */
  fetch?: typeof fetch;
  /** ngrok client timeouts, retries and sleep (tests shorten them); defaults are the client's. */
  ngrok?: Omit<NgrokClientTuning, 'fetch'>;
  /** Overrides how a key is verified and a directory is read (tests); default: the ngrok client. */
  verifyKey?: VerifyKey;
  syncSource?: SyncSource;
  /** The built-in demo workspace shown while no real one exists; the CLI leaves it out. */
  demoProvider?: DemoProvider;
}

export interface CoreDeps extends ServiceDeps {
  transport: 'electron' | 'harness';
  platform?: string;
  heartbeatMs?: number;
  /** Background directory refresh; false turns it off (tests). Default every 5 min. */
  backgroundRefresh?:
    false | { intervalMs?: number; tickMs?: number; firstRoundMs?: number; timers?: Timers };
  /** Offer the built-in demo when no workspace exists (default true; SITEHOP_DEMO=0 turns it off). */
  demo?: boolean;
  /**
   * Starts the demo's back end on first use. The entry points pass src/demo's startDemo through import(), so the
   * sandbox stays out of core and out of the app's static graph; without it the demo is listed but cannot sync.
   */
  startDemo?: StartDemo;
  /**
   * Resolve the shown workspace's kept objects in idle slices once the window is up, before the background refresh's
   * first round (idle-warmup.ts; default true; SITEHOP_IDLE_WARMUP=0 turns it off; none without background refresh).
   */
  idleWarmUp?: boolean;
  /** RDP launcher overrides (tests: a spawn wrapper that records pids, the clients' environment, timings). */
  rdp?: LauncherOverrides;
  /** SSH session tuning (keepalive, timeouts, key files, flow control); defaults are the product's. */
  ssh?: Partial<
    Pick<SshManagerDeps, 'keepalive' | 'timeoutMs' | 'backoffMs' | 'flow' | 'keyPaths' | 'algorithms'>
  >;
}

export interface CoreServices {
  settings: TechnicianSettings;
  workspaces: WorkspaceService;
  directory: DirectoryService;
  cache: DirectoryCache;
  /** Passwords and passphrases remembered per device (OS keychain). */
  credentials: DeviceCredentials;
}

export function createCoreServices(deps: ServiceDeps, events?: DirectoryEvents): CoreServices {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tuning: NgrokClientTuning = { ...deps.ngrok, ...(deps.fetch ? { fetch: deps.fetch } : {}) };
  const env = deps.env ?? process.env;
  const settings = openTechnicianSettings({
    home: deps.home,
    open: deps.openSettings ?? openConfBackend,
    now,
    log,
  });
  const cache = createDirectoryCache({ home: deps.home, now, log });
  // SITEHOP_KEYCHAIN_SERVICE lets tests and side-by-side installs use their own keychain items.
  const secrets =
    deps.secretStore ??
    createKeyringSecretStore({ service: env.SITEHOP_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE });
  // Which secrets were remembered (never the secrets), beside the settings, so a workspace's removal deletes them.
  const credentials = createDeviceCredentials(secrets, {
    index: openRememberedIndex({ home: deps.home, now, log }),
    log,
  });
  // The directory is created after the workspace service, which needs it on remove; the closure bridges the two.
  let directory: DirectoryService | null = null;
  const workspaces = createWorkspaceService({
    settings,
    secrets,
    verifyKey: deps.verifyKey ?? createNgrokKeyVerifier(tuning),
    // A replacement key is checked against the objects the last sync kept (same account?): docs/dev-notes.md (rekey).
    verifyReplacementKey: createReplacementKeyVerifier(tuning),
    keptAccount: (id) => cache.loadAccount?.(id)?.objects ?? null,
    // Its saved directory (addresses, when no objects are kept; null when it was never synced).
    keptSites: (id) => {
      const saved = directory?.snapshot(id);
      return saved?.syncedAt ? saved.sites : null;
    },
    env,
    now,
    onRemoved: async (id) => {
      if (directory) directory.forget(id);
      else cache.remove(id);
      // The window's kept first screen shows that workspace's directory too.
      forgetFirstScreen(deps.home, id);
      // Its notes, usernames, favorites and recents went with its settings record, its pins before (forgetPins).
    },
    forgetRemembered: (id) => credentials.forgetWorkspace(id),
    // Its devices' host-key pins (the app's and the CLI's one file), dropped while it is still stored: a version 1
    // file read for the first time here is migrated by the stored workspaces (legacy-owners.ts).
    forgetPins: (id) =>
      openHostKeyPins({
        home: deps.home,
        log,
        envWorkspaceId: envWorkspaceIdOf(() => workspaces.list()),
      }).forgetWorkspace(id),
    ...(deps.demoProvider ? { demo: deps.demoProvider } : {}),
    demoPinned: () => settings.uiPrefs().demoPinned,
  });
  // Records an earlier SiteHop kept under the environment workspace's fixed id go to the key's workspace, once.
  settings.adoptLegacyEnvRecords(envWorkspaceIdOf(() => workspaces.list()));
  // And its remembered passwords (keychain and index), in the background: the credentials' calls wait for it.
  void credentials.adoptLegacyEnv(envWorkspaceIdOf(() => workspaces.list()));
  directory = createDirectoryService({
    workspaces,
    cache,
    settings,
    source: deps.syncSource ?? createNgrokSyncSource(tuning),
    now,
    log,
    fullSyncMaxAgeMs: () => settings.syncIntervals().fullMs,
    ...(events ? { events } : {}),
  });
  return { settings, workspaces, directory, cache, credentials };
}

export interface AppCore {
  dispatch: Dispatch;
  hub: EventHub;
  services: CoreServices;
  /** Background refresh (null when off): main tells it when the window is hidden or the technician idle. */
  refresh: Pick<SyncScheduler, 'setActivity'> | null;
  /** The page the window loads, with its last first screen in it when still true (harness and main serve it). */
  firstScreen: Pick<FirstScreen, 'page' | 'windowSize'>;
  close(): Promise<void>;
}

/** The background refresh's first round, unless the window's first screen comes sooner (then just after it). */
const STARTUP_REFRESH_DELAY_MS = 15_000;
const REFRESH_AFTER_FIRST_HEAD_MS = 2_000;

export function createAppCore(deps: CoreDeps): AppCore {
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const hub = new EventHub({
    onListenerError: (name, err) =>
      log(`[events] a ${name} listener failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  const env = deps.env ?? process.env;
  const demo =
    deps.demo !== false && env.SITEHOP_DEMO !== '0' ? createBuiltInDemo(deps.startDemo, log) : null;
  const services = createCoreServices(
    { ...deps, log, ...(demo ? { demoProvider: demo } : {}) },
    {
      progress: (p) => hub.emit('directory.progress', p),
      changed: (workspaceId, now) => hub.emit('directory.changed', { workspaceId, ...now }),
    },
  );
  const demoListed = (): boolean => services.workspaces.list().some((w) => w.id === DEMO_WORKSPACE_ID);
  if (demo) {
    // An SSH session to one of the demo's own devices finds this run's demo password like a remembered one.
    const isDemoDevice = (deviceId: string): boolean =>
      demoListed() &&
      services.directory
        .snapshot(DEMO_WORKSPACE_ID)
        .sites.some((s) => s.devices.some((d) => d.id === deviceId));
    services.credentials = withDemoLogin(services.credentials, isDemoDevice, demo.login);
  }
  const hostKeys = openHostKeyPins({
    home: deps.home,
    ...(deps.now ? { now: deps.now } : {}),
    log,
    // Pins of a version 1 file with no stored workspace go to SITEHOP_API_KEY's workspace (legacy-owners.ts).
    envWorkspaceId: envWorkspaceIdOf(() => services.workspaces.list()),
  });
  // The CLI writes this home too: what it changes while the window is open is told to the window. SITEHOP_WATCH_HOME=0
  // leaves it to the window's next read (a refresh finds a workspace removed elsewhere: e2e/qa5-removed-elsewhere).
  const stopHomeWatch =
    env.SITEHOP_WATCH_HOME === '0'
      ? () => undefined
      : watchHome({
          home: deps.home,
          settings: services.settings,
          pins: hostKeys,
          workspaceIds: () => services.workspaces.list().map((w) => w.id),
          changed: {
            records: (workspaceId, favorites, recents) =>
              hub.emit('records.changed', { workspaceId, favorites, recents }),
            workspaces: () => hub.emit('workspaces.changed', {}),
            hostKeys: (workspaceId) => hub.emit('hostKeys.changed', { workspaceId }),
          },
          log,
        });
  const sshSessions = createSshSessionManager({
    directory: services.directory,
    settings: services.settings,
    credentials: services.credentials,
    pins: hostKeys,
    env,
    log,
    events: {
      data: (sessionId, data) => hub.emit('ssh.data', { sessionId, data }),
      state: (info) => hub.emit('ssh.state', info),
      prompt: (prompt) => hub.emit('ssh.prompt', prompt),
    },
    ...deps.ssh,
  });
  const rdp = launcherFromServices(services, {
    home: deps.home,
    env,
    platform: deps.platform ?? process.platform,
    emit: (launch) => hub.emit('rdp.state', launch),
    log,
    ...(deps.rdp ? { overrides: deps.rdp } : {}),
  });
  // Launch folders a crashed run left behind (each .rdp file is otherwise removed once its client has read it).
  void rdp.sweep();
  const clock = deps.now;
  const firstScreen = createFirstScreen({
    home: deps.home,
    // The head file while the cache is unread (reading 7.5 MB here would hold up the page's own calls).
    head: (id, devices) =>
      services.cache.loadedBefore?.(id)
        ? services.directory.head(id, devices)
        : (services.cache.loadHead?.(id, devices) ?? null),
    uiPrefs: () => services.settings.uiPrefs(),
    favorites: (workspaceId) => services.settings.favorites(workspaceId),
    workspaceName: (id) => services.workspaces.list().find((w) => w.id === id)?.name ?? null,
    // What the window's first calls would tell it: a screen synthesized from the head when none kept is valid.
    // SITEHOP_SYNTHESIZED_SCREEN=0 turns that off (the UI bench's A/B of a first start).
    ...(env.SITEHOP_SYNTHESIZED_SCREEN === '0'
      ? {}
      : {
          synth: {
            info: {
              version: APP_VERSION,
              platform: deps.platform ?? process.platform,
              transport: deps.transport,
            },
            demoAvailable: demo !== null,
            workspaces: () =>
              services.workspaces.list().map(({ id, name, source }) => ({ id, name, source })),
          },
        }),
    ...(clock ? { now: () => clock().getTime() } : {}),
    log,
  });
  let closed = false;
  // The background refresh's timers (injected by tests), for its start too.
  const refreshTimers = deps.backgroundRefresh ? deps.backgroundRefresh.timers : undefined;
  // SITEHOP_IDLE_WARMUP=0 (or idleWarmUp: false) leaves the first sync to resolve cold, as the CLI does.
  const warmUpOn = deps.idleWarmUp !== false && env.SITEHOP_IDLE_WARMUP !== '0';
  // Never throws: the first round follows it whatever happens.
  const idleWarmUp = async (): Promise<void> => {
    let id: string | null = null;
    try {
      id = services.settings.uiPrefs().lastWorkspaceId;
      if (!warmUpOn || !id || !services.workspaces.list().some((w) => w.id === id)) return;
      const report = await services.directory.warmUp?.(id);
      if (report)
        log(
          `[directory] idle warm-up of ${id} ${report.state === 'done' ? 'done' : 'stopped'}: ${report.passes} passes, ${Math.round(report.busyMs)} ms in ${report.slices} slices (longest ${Math.round(report.longestSliceMs)} ms)`,
        );
    } catch (err) {
      log(
        `[directory] idle warm-up of ${id ?? 'the last workspace'} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  const later = (fn: () => void, ms: number): void => {
    if (refreshTimers) refreshTimers.setTimeout(fn, ms);
    else setTimeout(fn, ms).unref();
  };
  const handlers: Handlers = {
    ...createAppHandlers({ platform: deps.platform ?? process.platform, transport: deps.transport }),
    ...createDirectoryHandlers(services),
    ...createSshHandlers({
      sessions: sshSessions,
      pins: hostKeys,
      credentials: services.credentials,
      workspaceName: (id) => services.workspaces.list().find((w) => w.id === id)?.name ?? null,
    }),
    ...createRdpHandlers(rdp),
    ...createUiHandlers({
      settings: services.settings,
      directory: services.directory,
      firstScreen,
      demoAvailable: demo !== null,
      // The background refresh's first round reads every workspace's whole cache (and kept account objects) on
      // this one thread: it runs once the window has its first screen, not while the window loads, and a little
      // later still, so it does not hold up the whole directory the window asks for next.
      // Then the idle warm-up of the shown workspace's resolver (idle-warmup.ts), and the first round when it ends:
      // the first sync's resolves then find warm memos and trained code. Any sync stops it for good, and the
      // scheduler's own first round (STARTUP_REFRESH_DELAY_MS) comes whatever it does. Without background syncs
      // (SITEHOP_BACKGROUND_SYNC=0: the UI bench measures the window) there is no first round to prepare.
      afterFirstHead: () =>
        later(() => {
          if (closed || !refresh) return;
          void idleWarmUp().then(() => {
            if (!closed) void refresh.tick();
          });
        }, REFRESH_AFTER_FIRST_HEAD_MS),
    }),
    ...createDemoHandlers({ info: () => (demo && demoListed() ? demo.login : null) }),
  };
  const dispatch = createDispatcher(handlers, {
    onInternalError: (name, err) =>
      log(`[core] ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
  const stopHeartbeat = startHeartbeat(hub, deps.heartbeatMs ?? 5000, deps.now);
  // SITEHOP_BACKGROUND_SYNC=0: no syncs but the ones asked for (the UI bench measures the window, not syncs).
  const refresh =
    deps.backgroundRefresh === false || env.SITEHOP_BACKGROUND_SYNC === '0'
      ? null
      : startSyncScheduler({
          directory: services.directory,
          workspaceIds: () => services.workspaces.list().map((w) => w.id),
          intervals: () => services.settings.syncIntervals(),
          // Without a window asking for a directory (see afterFirstHead above), the first round runs after this.
          firstRoundMs: STARTUP_REFRESH_DELAY_MS,
          ...(deps.backgroundRefresh ?? {}),
          ...(deps.now ? { now: deps.now } : {}),
          log,
        });
  // The window asks for the last workspace's directory first. With a good head file beside its cache, the first
  // screen comes from that and the whole cache is read right after (handlers/ui.ts); without one (a cache from an
  // older version), read the cache while the window loads (a 10,000-device cache takes about a second to read and
  // check), so the first paint waits less for it.
  const warmUp = setTimeout(() => {
    const id = services.settings.uiPrefs().lastWorkspaceId;
    try {
      if (id && !services.cache.loadHead?.(id, 1)) services.directory.snapshot(id);
    } catch {
      // Removed since the last run: nothing to warm up.
    }
  }, 0);
  return {
    dispatch,
    hub,
    services,
    refresh,
    firstScreen,
    close: async () => {
      closed = true;
      clearTimeout(warmUp);
      stopHeartbeat();
      stopHomeWatch();
      refresh?.stop();
      await sshSessions.closeAll();
      await services.directory.close();
      await demo?.close();
    },
  };
}
