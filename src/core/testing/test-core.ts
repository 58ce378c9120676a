// The options a test starts an app core with. Every test core shares the same defaults: it touches nothing of the
// developer's (an empty environment, secrets held in memory, no built-in demo), starts no timers of its own (no
// background refresh, a heartbeat an hour apart) and logs nothing. What a test injects because it matters to it
// (a fetch, a clock, a sync source, a keychain, a demo, ngrok tuning, a log it reads) is passed as an override.
// A call's answer is read with okValue / callOk: a refused call fails the test with its code and message.
import type { Result } from '../../shared/contract';
import { createAppCore, type AppCore, type CoreDeps } from '../app-core';
import { memorySecretStore } from '../secrets/testing/memory-secret-store';

export interface TestCoreOverrides extends Partial<Omit<CoreDeps, 'home'>> {
  /**
   * The real OS keychain under this service name, chosen the way the app chooses it (SITEHOP_KEYCHAIN_SERVICE in the
   * core's environment), instead of the in-memory store.
   */
  keychainService?: string;
}

/** `createAppCore`'s options for a test core on `home`: the shared defaults, then `overrides`, which win. */
function testCoreOptions(home: string, overrides: TestCoreOverrides = {}): CoreDeps {
  const { keychainService, ...rest } = overrides;
  const options: CoreDeps = {
    transport: 'harness',
    home,
    demo: false,
    backgroundRefresh: false,
    heartbeatMs: 3_600_000,
    env: {},
    log: () => undefined,
    ...(keychainService === undefined ? { secretStore: memorySecretStore() } : {}),
    ...rest,
  };
  if (keychainService !== undefined)
    options.env = { ...options.env, SITEHOP_KEYCHAIN_SERVICE: keychainService };
  return options;
}

/** An app core on `home` with the test defaults and `overrides` (see testCoreOptions). */
export function createTestCore(home: string, overrides: TestCoreOverrides = {}): AppCore {
  return createAppCore(testCoreOptions(home, overrides));
}

/** The value of a contract call's answer; a refused call throws its code and message, so the test fails saying why. */
export function okValue<T>(answer: unknown): T {
  const r = answer as Result<T>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Calls `name` on `core`'s contract, as the window does, and gives the answer's value (a refusal throws, named). */
export async function callOk<T>(core: AppCore, name: string, input: unknown): Promise<T> {
  const r = (await core.dispatch(name as never, input as never)) as Result<T>;
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}
