// A sandbox account whose API key is revoked and replaced by a new one, as an admin rotates a key in the ngrok
// dashboard: the same account (its objects, their ids) answers at the same API URL, the old key gets 401
// ERR_NGROK_203 and the new one works. The sandbox takes one key for its life, so it is started again on the same
// port with its state. (Its generated fleet's demo SSH device is not carried over: SSH to it fails afterwards.)
import http from 'node:http';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../../sandbox/index';

export async function rotateSandboxKey(
  sandbox: RunningSandbox,
  newKey: string,
  opts: Pick<StartSandboxOptions, 'rateLimit'> = {},
): Promise<RunningSandbox> {
  return replaceSandboxAccount(sandbox, { state: sandbox.store.snapshot(), apiKey: newKey, ...opts });
}

/**
 * Another ngrok account behind the same API URL (as api.ngrok.com serves every account, told apart by the key):
 * the sandbox is started again on the same port with other options (another generated fleet, another key).
 */
export async function replaceSandboxAccount(
  sandbox: RunningSandbox,
  opts: StartSandboxOptions,
): Promise<RunningSandbox> {
  const port = Number(new URL(sandbox.apiUrl).port);
  await sandbox.close();
  const next = await startSandbox({ ...opts, port });
  if (next.apiUrl !== sandbox.apiUrl) throw new Error(`the sandbox came back at ${next.apiUrl}`);
  return next;
}

/**
 * fetch on a new connection per request, for clients of a sandbox that is started again on its port: global fetch
 * keeps idle connections, and the first request after the restart could go down one the old server closed
 * ("other side closed"), a retry the request counts would show. Plain http, as the sandbox serves.
 */
export const freshConnectionFetch: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  const body = req.body ? Buffer.from(await req.arrayBuffer()) : null;
  const headers: Record<string, string> = {};
  req.headers.forEach((value, name) => (headers[name] = value));
  return new Promise<Response>((resolve, reject) => {
    const out = http.request(
      req.url,
      { method: req.method, headers, agent: false, signal: req.signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (typeof v === 'string') headers.set(k, v);
            else if (Array.isArray(v)) for (const one of v) headers.append(k, one);
          const status = res.statusCode ?? 500;
          const noBody = status === 204 || status === 304;
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers }));
        });
      },
    );
    out.on('error', reject);
    out.end(body ?? undefined);
  });
};
