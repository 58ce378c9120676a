// TEST HELPER (a process of its own): makes `count` changes of one kind to the SiteHop home `home`, one at a time,
// through the same stores the app and the CLI use, as a technician's app (or `sitehop` runs) would. Run with
// `node --import tsx write-many.ts HOME KIND WORKSPACE COUNT PREFIX`; KIND is one of:
//   favorite   stars device PREFIX-i            (settings.json, the workspace's records)
//   username   keeps login name u-i for PREFIX-i  (settings.json, the workspace's device preferences)
//   recent     opens PREFIX-i (the last 20 stay)  (settings.json, the workspace's recents)
//   workspace  adds workspace PREFIX-i           (settings.json, the workspace list; WORKSPACE unused)
//   pin        pins a host key for PREFIX-i       (host-keys.json)
//   forget     forgets the pin of PREFIX-i        (host-keys.json)
//   rdp-custom sets custom RDP client /opt/PREFIX-i and prefers it, as `sitehop rdp-client custom` (rdp-client.json);
//              fails if another process's change ever put back an older custom client than its last. Starts once
//              an rdp-use process runs (up to 10 s), and tells it when done.
//   rdp-use    prefers xfreerdp, then the default, in turn, as the app's client choice does (rdp-client.json), until
//              an rdp-custom process is done (or COUNT times)
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkspaceService } from '../workspaces/workspace-service';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { openHostKeyPins } from '../ssh/host-key-pins';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings } from '../settings/technician-settings';
import { openClientChoiceStore } from '../rdp/client-choice';
import { createRdpLauncher } from '../rdp/rdp-launcher';

/** A minimal ssh-ed25519 public key blob (the string "ssh-ed25519", then a 32-byte key of `fill`). */
function hostKeyBlob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, fill % 256);
  const len = (n: number): Buffer => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([len(type.length), type, len(key.length), key]);
}

const [home, kind, ws, countText, prefix] = process.argv.slice(2);
if (!home || !kind || !ws || !countText || !prefix)
  throw new Error('usage: write-many.ts HOME KIND WORKSPACE COUNT PREFIX');
const count = Number(countText);
const settings = openTechnicianSettings({ home, open: openConfBackend });
const pins = openHostKeyPins({ home });
const workspaces = createWorkspaceService({
  settings,
  secrets: memorySecretStore(),
  verifyKey: async () => undefined,
  env: {},
});

// An RDP launcher whose client probes find xfreerdp (no program is run) and any custom client's file.
const rdp = createRdpLauncher({
  os: 'linux',
  env: {},
  findService: () => null,
  credentials: { get: async () => null, set: async () => undefined },
  rdpUsername: () => null,
  addRecent: () => undefined,
  choice: openClientChoiceStore(home),
  probes: {
    os: 'linux',
    env: {},
    which: async (name) => (name === 'xfreerdp' ? '/usr/bin/xfreerdp' : null),
    run: async () => null,
    exists: async () => true,
  },
});
let lastCustom: string | null = null;
let putBack = 0;
// The two rdp kinds overlap wholly: the chooser runs from before the first custom client until after the last.
const useRunning = path.join(home, 'rdp-use.running');
const customDone = path.join(home, 'rdp-custom.done');
if (kind === 'rdp-use') writeFileSync(useRunning, '');
if (kind === 'rdp-custom')
  for (let waited = 0; !existsSync(useRunning) && waited < 10_000; waited += 10)
    await new Promise((r) => setTimeout(r, 10));

for (let i = 0; i < count; i++) {
  const id = `${prefix}-${i}`;
  if (kind === 'favorite') settings.setFavorite(ws, id, true);
  else if (kind === 'username') settings.setDevicePrefs(ws, id, { sshUsername: `u-${i}` });
  else if (kind === 'recent') settings.addRecent(ws, id);
  else if (kind === 'workspace')
    await workspaces.add({ name: id, apiUrl: 'http://127.0.0.1:9', apiKey: `key-${id}` });
  else if (kind === 'pin') pins.pin(ws, id, hostKeyBlob(i));
  else if (kind === 'forget') pins.forget(ws, id);
  else if (kind === 'rdp-custom') {
    // Nothing else sets a custom client: the file must still hold the last one set here.
    const now = openClientChoiceStore(home).get().custom?.path ?? null;
    if (lastCustom !== null && now !== lastCustom) putBack++;
    lastCustom = `/opt/${id}`;
    await rdp.setPreferred('custom', { path: lastCustom, args: ['/v:{address}'] });
  } else if (kind === 'rdp-use') {
    if (existsSync(customDone)) break;
    await rdp.setPreferred(i % 2 === 0 ? 'xfreerdp' : null);
  } else throw new Error(`unknown kind ${kind}`);
}
if (kind === 'rdp-custom') writeFileSync(customDone, '');
if (putBack > 0)
  throw new Error(`another process put back an older custom RDP client ${putBack} times in ${count}`);
