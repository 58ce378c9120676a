// The client used while the contract's code loads: calls wait for the real client, subscriptions reach it once it
// is there (not at all when dropped before), and a client that never loads says so instead of hanging.
import { describe, expect, it } from 'vitest';
import { CallError } from './call-error';
import type { Client } from './create-client';
import { deferredClient } from './deferred-client';

function fakeClient() {
  const subscribed: string[] = [];
  const client: Client = {
    transport: 'harness',
    fatal: undefined,
    call: ((name: string) => Promise.resolve(`answer to ${name}`)) as Client['call'],
    on: (name) => {
      subscribed.push(name);
      return () => subscribed.splice(subscribed.indexOf(name), 1);
    },
    onStatus: (listener) => {
      listener(true);
      subscribed.push('status');
      return () => subscribed.splice(subscribed.indexOf('status'), 1);
    },
  };
  return { client, subscribed };
}

describe('deferredClient', () => {
  it('holds calls and subscriptions until the real client is there, then passes them on', async () => {
    const { client, subscribed } = fakeClient();
    let load!: (c: Client) => void;
    const deferred = deferredClient('harness', undefined, new Promise((r) => (load = r)));
    expect(deferred.transport).toBe('harness');
    const answer = deferred.call('app.info', {});
    const seen: boolean[] = [];
    deferred.onStatus((c) => seen.push(c));
    deferred.on('app.heartbeat', () => undefined);
    const dropped = deferred.on('directory.changed', () => undefined);
    dropped();
    expect(subscribed).toEqual([]);
    load(client);
    expect(await answer).toBe('answer to app.info');
    expect(subscribed).toEqual(['status', 'app.heartbeat']);
    expect(seen).toEqual([true]);
    // Once loaded, everything goes straight through.
    const off = deferred.on('directory.progress', () => undefined);
    expect(subscribed).toContain('directory.progress');
    off();
    expect(subscribed).not.toContain('directory.progress');
  });

  it('fails calls with a clear error and reports no connection when the client cannot load', async () => {
    const deferred = deferredClient('harness', undefined, Promise.reject(new Error('chunk failed')));
    const seen: boolean[] = [];
    deferred.onStatus((c) => seen.push(c));
    const err = await deferred.call('app.info', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect((err as CallError).code).toBe('unavailable');
    expect(seen).toEqual([false]);
  });
});
