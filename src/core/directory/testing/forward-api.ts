// Tests' API proxies: hand a request on to the sandbox's API as the client sent it (key and version) and copy the
// answer back, so a test can stand between core and the sandbox (hang, fault or count) without changing either.
import type { IncomingMessage, ServerResponse } from 'node:http';

export async function forwardToApi(apiUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const upstream = await fetch(`${apiUrl}${req.url ?? '/'}`, {
    headers: {
      authorization: req.headers.authorization ?? '',
      'ngrok-version': String(req.headers['ngrok-version'] ?? ''),
    },
  });
  res.writeHead(upstream.status, { 'content-type': 'application/json' });
  res.end(await upstream.text());
}
