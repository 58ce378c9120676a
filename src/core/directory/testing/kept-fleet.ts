// A generated fleet's account objects as a sync keeps them (keptList: the fields the resolver reads, and created_at),
// read back from JSON as the account file gives them: what a status sync, a connect check or the idle warm-up
// resolves.
import { generateFleet } from '../../../sandbox/generate/fleet';
import { SandboxStore } from '../../../sandbox/state/store';
import { ACCOUNT_COLLECTIONS, type AccountObjects } from '../../ngrok/types';
import { keptList } from '../account-snapshot';

export function keptFleet(size: { sites: number; devices: number; seed: number }): AccountObjects {
  const store = new SandboxStore(generateFleet({ ...size, edgeHost: '1.tcp.ngrok.io' }));
  return JSON.parse(
    JSON.stringify(Object.fromEntries(ACCOUNT_COLLECTIONS.map((c) => [c, keptList(c, store.list(c))]))),
  ) as AccountObjects;
}
