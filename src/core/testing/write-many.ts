// TEST HELPER (a process of its own): makes `count` changes of one kind to the SiteHop home `home`, one at a time,
// through the same stores the app and the CLI use, as a technician's app (or `sitehop` runs) would. Run with
// `node --import tsx write-many.ts HOME KIND WORKSPACE COUNT PREFIX`; KIND is one of:
//   favorite   stars device PREFIX-i            (settings.json, the workspace's records)
//   username   keeps login name u-i for PREFIX-i  (settings.json, the workspace's device preferences)
//   recent     opens PREFIX-i (the last 20 stay)  (settings.json, the workspace's recents)
//   workspace  adds workspace PREFIX-i           (settings.json, the workspace list; WORKSPACE unused)
//   pin        pins a host key for PREFIX-i       (host-keys.json)
//   forget     forgets the pin of PREFIX-i        (host-keys.json)
import { createWorkspaceService } from '../workspaces/workspace-service';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';
import { openHostKeyPins } from '../ssh/host-key-pins';
import { openConfBackend } from '../settings/settings-backend';
import { openTechnicianSettings } from '../settings/technician-settings';

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

for (let i = 0; i < count; i++) {
  const id = `${prefix}-${i}`;
  if (kind === 'favorite') settings.setFavorite(ws, id, true);
  else if (kind === 'username') settings.setDevicePrefs(ws, id, { sshUsername: `u-${i}` });
  else if (kind === 'recent') settings.addRecent(ws, id);
  else if (kind === 'workspace')
    await workspaces.add({ name: id, apiUrl: 'http://127.0.0.1:9', apiKey: `key-${id}` });
  else if (kind === 'pin') pins.pin(ws, id, hostKeyBlob(i));
  else if (kind === 'forget') pins.forget(ws, id);
  else throw new Error(`unknown kind ${kind}`);
}
