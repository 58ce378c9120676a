// The composition root shared by the Electron main process and the browser harness: the same handlers, the same
// dispatcher, the same event hub. Transports only carry bytes; everything that decides lives here.
import { createAppHandlers } from './handlers/app';
import { createDirectoryHandlers } from './handlers/directory';
import { startHeartbeat } from './heartbeat';
import { createDispatcher, type Dispatch, type Handlers } from './rpc/dispatch';
import { EventHub } from './rpc/event-hub';

export interface CoreDeps {
  transport: 'electron' | 'harness';
  platform?: string;
  /** Data directory (settings, cache). */
  home: string;
  env?: NodeJS.ProcessEnv;
  heartbeatMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface AppCore {
  dispatch: Dispatch;
  hub: EventHub;
  close(): Promise<void>;
}

export function createAppCore(deps: CoreDeps): AppCore {
  const hub = new EventHub();
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const handlers: Handlers = {
    ...createAppHandlers({ platform: deps.platform ?? process.platform, transport: deps.transport }),
    ...createDirectoryHandlers(),
  };
  const dispatch = createDispatcher(handlers, {
    onInternalError: (name, err) => log(`[core] ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
  const stopHeartbeat = startHeartbeat(hub, deps.heartbeatMs ?? 5000, deps.now);
  return {
    dispatch,
    hub,
    close: async () => {
      stopHeartbeat();
    },
  };
}
