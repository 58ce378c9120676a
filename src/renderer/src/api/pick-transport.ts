// Which transport this page uses, decided once and explicitly: inside Electron the preload exposes
// `window.sitehop`; the browser harness serves the page with its per-run `?token=` (nothing else does). A page
// with neither has lost its bridge (a broken install or a preload that failed): it says so instead of dialling a
// WebSocket that no one serves and showing "Reconnecting…" forever.
import type { SitehopBridge } from '../../../shared/contract';
import { electronTransport } from './electron-transport';
import type { Transport } from './transport';
import { MISSING_BRIDGE_MESSAGE, transportKind } from './transport-kind';
import { wsTransport, type WsEnvironment } from './ws-transport';

export { MISSING_BRIDGE_MESSAGE, transportKind, type TransportKind } from './transport-kind';

export interface PageEnvironment extends WsEnvironment {
  bridge: SitehopBridge | undefined;
}

export function missingBridgeTransport(): Transport {
  return {
    kind: 'missing',
    fatal: MISSING_BRIDGE_MESSAGE,
    invoke: () =>
      Promise.resolve({ ok: false, error: { code: 'unavailable', message: MISSING_BRIDGE_MESSAGE } }),
    subscribe: () => () => undefined,
    onStatus: (listener) => {
      listener(false);
      return () => undefined;
    },
  };
}

export function pickTransport(env: PageEnvironment): Transport {
  const kind = transportKind(env);
  if (kind === 'electron' && env.bridge) return electronTransport(env.bridge);
  if (kind === 'harness') return wsTransport(env);
  return missingBridgeTransport();
}
