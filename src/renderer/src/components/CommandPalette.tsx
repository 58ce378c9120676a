// The command palette (Ctrl/Cmd+K): type a few letters of a device, site or address, Enter connects; it also goes
// to Home, the directory or an open session. The device search is ours (the same fuzzy index as the directory),
// so cmdk only lays out and navigates.
import { Command } from 'cmdk';
import { useMemo, useState } from 'react';
import { primaryService, serviceLabels } from '../hooks/device-actions';
import { useConnect } from '../hooks/use-connect';
import { useDeviceIndex } from '../hooks/use-directory';
import type { IndexedDevice } from '../search/device-index';
import { useAppStore } from '../store';
import { useReturnFocus } from './focus-return';
import { takePaletteKeys } from './palette-typeahead';

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
  const tabs = useAppStore((s) => s.tabs);
  const rdpCount = useAppStore((s) => s.rdp.length);
  const index = useDeviceIndex();
  const actions = useConnect();
  useReturnFocus(open);
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
    // The views and sessions too: inside a terminal (which keeps Tab for the shell) the palette is the keyboard's
    // way back to Home, the directory or another session.
    const go = (key: string, label: string, hint: string): Entry => ({
      value: `${key}#view`,
      label: `Go to ${label}`,
      hint,
      run: () => {
        tabSelected(key);
        // A session's terminal takes the keyboard itself; a view's tab takes it here, once the palette has
        // closed and handed the focus back to where it was (often the terminal just hidden).
        if (!tabs.some((t) => t.key === key))
          setTimeout(() => document.getElementById(`tab-${key}`)?.focus(), 0);
      },
    });
    const views = [
      go('home', 'Home', 'favorites and recent connections'),
      go('directory', 'Directory', 'every site and device'),
      ...tabs.map((t) => go(t.key, t.title, 'SSH session')),
      ...(rdpCount > 0 ? [go('rdp', 'Remote desktops', 'launched RDP clients')] : []),
    ];
    const q = query.trim().toLowerCase();
    const matching = q ? views.filter((v) => v.label.toLowerCase().includes(q)) : views;
    // Devices first (a few letters and Enter connect), unless the words ask for a view: "go to …", or the start
    // of Home, Directory or Remote desktops.
    const first = q
      ? matching.filter(
          (v) =>
            q.startsWith('go ') ||
            (!tabs.some((t) => v.value === `${t.key}#view`) &&
              v.label.toLowerCase().startsWith(`go to ${q}`)),
        )
      : [];
    return [...first, ...out, ...matching.filter((v) => !first.includes(v))];
  }, [open, query, index, recents, actions, tabSelected, detailsOpened, tabs, rdpCount]);

  const close = (): void => {
    takePaletteKeys();
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
        // What was typed while the palette opened (its first opening loads its code) starts the query.
        onFocus={() => {
          const held = takePaletteKeys();
          if (held) setQuery((q) => q + held);
        }}
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
