// The command palette (Ctrl/Cmd+K): type a few letters of a device, site or address, Enter connects. The
// device search is ours (the same fuzzy index as the directory), so cmdk only lays out and navigates.
import { Command } from 'cmdk';
import { useMemo, useState } from 'react';
import { primaryService, serviceLabels } from '../hooks/device-actions';
import { useConnect } from '../hooks/use-connect';
import { useDeviceIndex } from '../hooks/use-directory';
import type { IndexedDevice } from '../search/device-index';
import { useAppStore } from '../store';

const MAX_DEVICES = 25;

interface Entry {
  value: string;
  label: string;
  hint: string;
  run: () => void;
}

export function CommandPalette() {
  const open = useAppStore((s) => s.paletteOpen);
  const paletteToggled = useAppStore((s) => s.paletteToggled);
  const detailsOpened = useAppStore((s) => s.detailsOpened);
  const tabSelected = useAppStore((s) => s.tabSelected);
  const recents = useAppStore((s) => s.snapshot?.recents);
  const index = useDeviceIndex();
  const actions = useConnect();
  const [query, setQuery] = useState('');

  const entries = useMemo((): Entry[] => {
    if (!open) return [];
    const devices: IndexedDevice[] = query.trim()
      ? index
          .search(query)
          .slice(0, MAX_DEVICES)
          .map((h) => h.entry)
      : (recents ?? []).map((id) => index.byId.get(id)).filter((e) => e !== undefined);
    const out: Entry[] = [];
    for (const entry of devices) {
      const primary = primaryService(entry.device);
      const ordered = primary
        ? [primary, ...entry.device.services.filter((s) => s !== primary)]
        : entry.device.services;
      const hint = `${entry.site.name}${entry.device.online ? '' : ' · offline'}`;
      for (const service of ordered) {
        const label = serviceLabels(entry.device, service).connect;
        if (label)
          out.push({ value: `${service.id}#connect`, label, hint, run: () => actions.run(entry, service) });
      }
      out.push({
        value: `${entry.device.id}#details`,
        label: `Show ${entry.device.name}`,
        hint,
        run: () => {
          tabSelected('directory');
          detailsOpened(entry.device.id);
        },
      });
    }
    return out;
  }, [open, query, index, recents, actions, tabSelected, detailsOpened]);

  const close = (): void => {
    paletteToggled(false);
    setQuery('');
  };

  return (
    <Command.Dialog
      open={open}
      onOpenChange={(o) => (o ? paletteToggled(true) : close())}
      label="Connect to a device"
      shouldFilter={false}
      loop
      className="palette"
      overlayClassName="palette-overlay"
      contentClassName="palette-content"
    >
      <Command.Input
        value={query}
        onValueChange={setQuery}
        placeholder="Connect to… (device, site or address)"
      />
      <Command.List>
        <Command.Empty>{query ? 'No device matches.' : 'Type a device, site or address.'}</Command.Empty>
        {entries.map((e) => (
          <Command.Item
            key={e.value}
            value={e.value}
            onSelect={() => {
              close();
              e.run();
            }}
          >
            <span>{e.label}</span>
            <span className="muted">{e.hint}</span>
          </Command.Item>
        ))}
      </Command.List>
    </Command.Dialog>
  );
}
