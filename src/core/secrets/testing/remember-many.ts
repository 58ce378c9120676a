// TEST HELPER (a process of its own): names `count` remembered items of workspace `ws` in the index of `home`, one
// add at a time, as the app or the CLI does when a technician remembers a secret. Run with `node --import tsx`.
import { openRememberedIndex } from '../remembered-index';

const [home, ws, count] = process.argv.slice(2);
if (!home || !ws || !count) throw new Error('usage: remember-many.ts HOME WORKSPACE COUNT');
const index = openRememberedIndex({ home });
for (let i = 0; i < Number(count); i++)
  index.add({ workspaceId: ws, deviceId: `site/device-${i}`, kind: 'ssh-password' });
