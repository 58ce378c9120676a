// Builds the RDP launcher on the core services, the same way for the app (main and harness) and the CLI: the
// directory snapshot answers "which address, is its agent online" (no ngrok request per launch), the keychain holds
// the remembered password, the settings hold the device's RDP username and the recents.
import type { DirectorySnapshot } from '../../shared/directory-types';
import type { DeviceCredentials } from '../secrets/device-credentials';
import { openClientChoiceStore } from './client-choice';
import { createRdpLauncher, type RdpLauncher, type RdpLauncherDeps, type ServiceRef } from './rdp-launcher';
import type { RdpOs } from './types';

export interface LauncherServices {
  directory: {
    snapshot(workspaceId: string): DirectorySnapshot;
    /** Before a launch: one filtered API request refreshes the service (issue 12). */
    checkService?(workspaceId: string, serviceId: string): Promise<unknown>;
  };
  settings: {
    devicePrefs(workspaceId: string, deviceId: string): { rdpUsername?: string | null | undefined };
    setDevicePrefs(workspaceId: string, deviceId: string, patch: { rdpUsername?: string | null }): unknown;
    addRecent(workspaceId: string, deviceId: string): unknown;
  };
  credentials: Pick<DeviceCredentials, 'get' | 'set'>;
}

export type LauncherOverrides = Partial<
  Pick<RdpLauncherDeps, 'spawn' | 'probes' | 'tmpDir' | 'earlyWindowMs' | 'fileReadDelayMs' | 'env'>
>;

export const rdpOs = (platform: string): RdpOs =>
  platform === 'win32' || platform === 'darwin' ? platform : 'linux';

export function findServiceIn(snapshot: DirectorySnapshot, serviceId: string): ServiceRef | null {
  for (const site of snapshot.sites) {
    for (const device of site.devices) {
      const service = device.services.find((s) => s.id === serviceId);
      if (service) return { site, device, service };
    }
  }
  return null;
}

export function launcherFromServices(
  services: LauncherServices,
  opts: {
    home: string;
    env: NodeJS.ProcessEnv;
    platform: string;
    emit?: RdpLauncherDeps['emit'];
    log?: (line: string) => void;
    overrides?: LauncherOverrides;
  },
): RdpLauncher {
  return createRdpLauncher({
    os: rdpOs(opts.platform),
    env: opts.env,
    findService: (workspaceId, serviceId) =>
      findServiceIn(services.directory.snapshot(workspaceId), serviceId),
    ...(services.directory.checkService
      ? { checkService: services.directory.checkService.bind(services.directory) }
      : {}),
    credentials: services.credentials,
    rdpUsername: (workspaceId, deviceId) =>
      services.settings.devicePrefs(workspaceId, deviceId).rdpUsername ?? null,
    saveRdpUsername: (workspaceId, deviceId, username) =>
      services.settings.setDevicePrefs(workspaceId, deviceId, { rdpUsername: username }),
    addRecent: (workspaceId, deviceId) => void services.settings.addRecent(workspaceId, deviceId),
    choice: openClientChoiceStore(opts.home, opts.log),
    ...(opts.emit ? { emit: opts.emit } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...opts.overrides,
  });
}
