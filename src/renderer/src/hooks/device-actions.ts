// What a service button does and what it is called. The names are the accessible names technicians (and tests)
// find them by: "SSH to frontdesk", "RDP to frontdesk", "Open frontdesk", "Copy address of frontdesk"; a device
// with two services of one kind adds the address so every name stays unique.
import type { Device, Service } from '../../../shared/directory-types';
import { httpsUrl } from '../store/format';

// Shared with the core's synthesized first screen, whose buttons must carry the same names (one copy).
export { serviceLabels, type ServiceLabels } from '../../../shared/service-labels';

/** The one action a keyboard Enter or the palette's first entry means for a device: SSH, else RDP, else Open. */
export function primaryService(device: Device): Service | null {
  for (const kind of ['ssh', 'rdp', 'web'] as const) {
    const found = device.services.find((s) => s.kind === kind);
    if (found) return found;
  }
  return null;
}

/** Opens a web service in the system browser (Electron hands window.open to shell.openExternal); https only. */
export function openInBrowser(service: Service): void {
  window.open(httpsUrl(service), '_blank', 'noopener,noreferrer');
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (no permission, no focus): the old way still works in most windows.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
