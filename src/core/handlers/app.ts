import type { Handlers } from '../rpc/dispatch';
import { APP_NAME, APP_VERSION } from '../version';

export interface AppHandlerDeps {
  platform: string;
  transport: 'electron' | 'harness';
}

export function createAppHandlers(deps: AppHandlerDeps): Pick<Handlers, 'app.info'> {
  return {
    'app.info': () => ({
      name: APP_NAME,
      version: APP_VERSION,
      platform: deps.platform,
      transport: deps.transport,
    }),
  };
}
