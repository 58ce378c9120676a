// The page's one client on the transport this page was given. The contract's zod schemas (and zod itself) are a
// good part of the app's script time on a cold start; they are needed only to check answers, so they load in a
// chunk of their own (back-end.ts) just after the app's code, while the socket the entry started comes up, not
// before the app can start. Until then calls wait and subscriptions are held (deferred-client.ts).
import type { Client } from './create-client';
import { deferredClient } from './deferred-client';
import { MISSING_BRIDGE_MESSAGE, transportKind } from './transport-kind';

export { CallError } from './call-error';
export type { Client } from './create-client';

const kind = transportKind({ bridge: window.sitehop, location: window.location });

export const client: Client = deferredClient(
  kind,
  kind === 'missing' ? MISSING_BRIDGE_MESSAGE : undefined,
  import('./back-end').then((m) => m.pageClient()),
);
