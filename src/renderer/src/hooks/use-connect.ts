// The connect actions bound to the store: SSH opens a session tab, RDP asks for a login then launches the
// system client, Open goes to the system browser, Copy puts the address on the clipboard.
import { useMemo } from 'react';
import type { Service } from '../../../shared/directory-types';
import type { IndexedDevice } from '../search/device-index';
import { serviceAddress } from '../search/device-index';
import { appStore } from '../store';
import { copyText, openInBrowser } from './device-actions';

export interface ConnectActions {
  run(entry: IndexedDevice, service: Service): void;
  copy(entry: IndexedDevice, service: Service): void;
}

export function connectActions(): ConnectActions {
  return {
    run(entry, service) {
      const s = appStore.getState();
      const target = { site: entry.site, device: entry.device, service };
      if (service.kind === 'ssh') void s.sshRequested(target);
      else if (service.kind === 'rdp') void s.rdpRequested(target);
      else if (service.kind === 'web') {
        s.recentAdded(entry.device.id);
        openInBrowser(service);
      }
    },
    copy(_entry, service) {
      const address = serviceAddress(service);
      void copyText(address).then((ok) =>
        appStore.getState().toastShown(ok ? `Copied ${address}` : `Copy failed; the address is ${address}`),
      );
    },
  };
}

export function useConnect(): ConnectActions {
  return useMemo(() => connectActions(), []);
}
