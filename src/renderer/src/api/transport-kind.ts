// Which back end this page talks to, decided from the page alone (no contract, no zod): the entry asks it before
// the app's code has loaded (see early-worker.ts), pick-transport.ts when it builds the transport.
import type { SitehopBridge } from '../../../shared/contract';

export const MISSING_BRIDGE_MESSAGE =
  'SiteHop cannot reach its back end: the bridge the app window needs did not load. Reinstall SiteHop, or run it in a browser with "npm run harness -- --open".';

export type TransportKind = 'electron' | 'harness' | 'missing';

export function transportKind(env: {
  bridge: SitehopBridge | undefined;
  location: Pick<Location, 'protocol' | 'search'>;
}): TransportKind {
  if (env.bridge) return 'electron';
  const isHttp = env.location.protocol === 'http:' || env.location.protocol === 'https:';
  if (isHttp && new URLSearchParams(env.location.search).has('token')) return 'harness';
  return 'missing';
}
