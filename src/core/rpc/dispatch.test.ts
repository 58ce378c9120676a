import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createDispatcher, type Handlers } from './dispatch';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = () => {
    throw new Error('not used in this test');
  };
  return {
    'app.info': () => ({ name: 'SiteHop', version: '1.2.3', platform: 'linux', transport: 'harness' }),
    'workspace.list': () => [],
    'workspace.add': unused,
    'workspace.rename': unused,
    'workspace.remove': unused,
    'directory.get': unused,
    'directory.sync': unused,
    'directory.refresh': unused,
    'favorites.set': unused,
    ...overrides,
  } as Handlers;
}

describe('dispatcher', () => {
  it('runs a valid call and returns its validated output', async () => {
    const dispatch = createDispatcher(handlers());
    expect(await dispatch('app.info', {})).toEqual({
      ok: true,
      value: { name: 'SiteHop', version: '1.2.3', platform: 'linux', transport: 'harness' },
    });
  });

  it.each([
    ['an unexpected key', { extra: 1 }],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['a number', 7],
  ])('rejects %s as input with invalid_input', async (_label, input) => {
    const result = await createDispatcher(handlers())('app.info', input);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('rejects a wrongly typed field and names it', async () => {
    const result = await createDispatcher(handlers())('workspace.rename', { id: 'w1', name: 42 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('"name"') },
    });
  });

  it('answers unknown calls, including prototype names, with unknown_call', async () => {
    const dispatch = createDispatcher(handlers());
    for (const name of ['nope', '__proto__', 'toString', 42, null]) {
      expect(await dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    }
  });

  it('passes AppError codes and messages through', async () => {
    const dispatch = createDispatcher(
      handlers({
        'workspace.list': () => {
          throw new AppError('unauthorized', 'The API key was rejected.');
        },
      }),
    );
    expect(await dispatch('workspace.list', {})).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'The API key was rejected.' },
    });
  });

  it('hides unexpected errors behind "internal" and hands the stack to the log only', async () => {
    const logged: unknown[] = [];
    const dispatch = createDispatcher(
      handlers({
        'workspace.list': () => {
          throw new Error('secret-ish internals at /home/x');
        },
      }),
      { onInternalError: (_n, err) => logged.push(err) },
    );
    const result = await dispatch('workspace.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('internals');
    expect(logged).toHaveLength(1);
  });

  it('treats a handler output that breaks the contract as internal, not as data', async () => {
    const dispatch = createDispatcher(handlers({ 'workspace.list': () => [{ id: 1 }] as never }));
    expect(await dispatch('workspace.list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
