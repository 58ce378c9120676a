// A sync whose one collection fails for good while another waits to try again sends nothing after it has failed: the
// other listing's retry would spend a request of the account's shared budget (120 a minute for the whole company) on
// an answer nobody waits for. Through the real core (directory service, ngrok sync source, client, pacer) and a real
// loopback HTTP server in front of the sandbox API, which counts what reaches it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { RULES_STATE } from '../../test-support/sync-e2e.fixture';
import { sendJson, sendNgrokError } from '../ngrok/testing/loopback-server';
import { openSandboxWorkspace, type Front } from './testing/sandbox-account';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Long enough for every retry the old code sent after the reject (backoffs of 0.25-2 s, a 1 s Retry-After). */
const QUIET_MS = 5_000;

const resourceOf = (req: IncomingMessage): string => new URL(req.url ?? '/', 'http://x').pathname.slice(1);

/**
 * The endpoints listing fails for good (`endpointsFail`) once the sessions listing has had its first 503 and waits to
 * try again; sessions keep answering 503; anything else goes on to the sandbox (`passOn`).
 */
function sessionsRetryingWhen(endpointsFail: (res: ServerResponse) => void): Front {
  let sessionsAnswered: () => void = () => undefined;
  const sessionsFailedOnce = new Promise<void>((resolve) => (sessionsAnswered = resolve));
  return (req, res, passOn) => {
    const resource = resourceOf(req);
    if (resource === 'tunnel_sessions') {
      sendNgrokError(res, 503, 'ERR_NGROK_500', 'unavailable');
      sessionsAnswered();
    } else if (resource === 'endpoints')
      // A moment after the 503, so the sessions listing has read it and sleeps before its next try.
      void sessionsFailedOnce.then(() => setTimeout(() => endpointsFail(res), 100));
    else passOn();
  };
}

async function rig() {
  let fault: Front | null = null;
  const { core, wsId, proxy } = await openSandboxWorkspace({
    defer: (cleanup) => cleanups.push(cleanup),
    sandbox: { state: RULES_STATE },
    front: (req, res, passOn) => (fault ? fault(req, res, passOn) : passOn()),
  });
  // A good full sync first, so a status sync has kept objects to start from.
  await core.services.directory.sync(wsId, { mode: 'full' });
  return {
    sync: (mode: 'status' | 'full') => core.services.directory.sync(wsId, { mode }),
    /** Answers from now on as `front` says (its passOn hands a request on to the sandbox). */
    setFault: (front: Front) => (fault = front),
    /** Requests that reached the API so far, by collection. */
    seen: () => proxy.seen.map((r) => new URL(r.url, proxy.url).pathname.slice(1)),
  };
}

const keyRefused = (res: ServerResponse): void => sendNgrokError(res, 401, 'ERR_NGROK_4018', 'bad key');
// A 429 with a short Retry-After: a status sync gives up at once, the pacer holds every request for 1 s.
const rateLimited = (res: ServerResponse): void => {
  res.setHeader('retry-after', '1');
  sendJson(res, 429, { error_code: 'ERR_NGROK_226', status_code: 429, msg: 'slow down', details: {} });
};

it.each([
  { fault: 'the key refused', fails: keyRefused, code: 'unauthorized' },
  { fault: 'a 429', fails: rateLimited, code: 'rate_limited' },
])(
  'a status sync that fails on $fault for endpoints sends no retry of its sessions after its rejection',
  async ({ fails, code }) => {
    const r = await rig();
    r.setFault(sessionsRetryingWhen(fails));
    const before = r.seen().length;
    await expect(r.sync('status')).rejects.toMatchObject({ code });
    const atReject = r.seen().length;
    // Both listings were out, the sessions' first try refused (it was waiting to try again).
    const asked = r.seen().slice(before);
    expect(asked.filter((p) => p === 'endpoints')).toEqual(['endpoints']);
    expect(asked).toContain('tunnel_sessions');

    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(r.seen().slice(atReject)).toEqual([]);
  },
  30_000,
);

it('a full sync that fails on the key refused for endpoints stops its other listings and sends nothing after its rejection', async () => {
  const r = await rig();
  r.setFault(sessionsRetryingWhen(keyRefused));
  const before = r.seen().length;
  await expect(r.sync('full')).rejects.toMatchObject({ code: 'unauthorized' });
  const atReject = r.seen().length;
  // The sessions listing was stopped in its wait, not run through its 1 + 3 tries before the sync could fail.
  const sessionTries = r
    .seen()
    .slice(before)
    .filter((p) => p === 'tunnel_sessions').length;
  expect(sessionTries).toBeGreaterThanOrEqual(1);
  expect(sessionTries).toBeLessThanOrEqual(2);

  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  expect(r.seen().slice(atReject)).toEqual([]);
}, 30_000);
