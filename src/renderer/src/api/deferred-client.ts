// A client whose real one is still loading: calls wait for it, subscriptions are made on it once it is there (and
// not at all if dropped before). Its kind and fatal error are known at once, from the page alone.
import { CallError } from './call-error';
import type { Client } from './create-client';
import type { TransportKind } from './transport-kind';

const NOT_LOADED =
  'SiteHop could not load its connection to the back end. Reload the window; if it keeps happening, restart SiteHop.';

export function deferredClient(
  kind: TransportKind,
  fatal: string | undefined,
  ready: Promise<Client>,
): Client {
  let real: Client | null = null;
  const loaded = ready.then(
    (c) => (real = c),
    () => null,
  );
  /** Runs `attach` on the real client once loaded; the returned function undoes it (or stops it from happening). */
  const later = (attach: (c: Client) => () => void, onFail?: () => void): (() => void) => {
    if (real) return attach(real);
    let off: (() => void) | null = null;
    let dropped = false;
    void loaded.then((c) => {
      if (dropped) return;
      if (c) off = attach(c);
      else onFail?.();
    });
    return () => {
      dropped = true;
      off?.();
    };
  };
  return {
    transport: kind,
    fatal,
    call: (name, input) =>
      real
        ? real.call(name, input)
        : loaded.then((c) => {
            if (!c) throw new CallError({ code: 'unavailable', message: NOT_LOADED });
            return c.call(name, input);
          }),
    on: (name, listener) => later((c) => c.on(name, listener)),
    onStatus: (listener) =>
      later(
        (c) => c.onStatus(listener),
        () => listener(false),
      ),
  };
}
