// The built-in demo's call: the demo device's login for this run, shown in the UI while the demo workspace exists.
import type { Handlers } from '../rpc/dispatch';
import type { DemoLogin } from '../demo/built-in-demo';

export function createDemoHandlers(deps: { info: () => DemoLogin | null }): Pick<Handlers, 'demo.info'> {
  return { 'demo.info': () => deps.info() };
}
