// The sandbox's HTTP server: the ngrok REST API (auth → version → rate limit → route, each failing with ngrok's
// error body) and the admin API under /_sandbox/. JSON in, JSON out; loopback only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SandboxStore } from '../state/store';
import { ADMIN_PREFIX, routeAdmin } from './admin-routes';
import { authenticate, checkVersion } from './auth';
import { ApiError, errorBody, Errors } from './errors';
import { routeNgrok, type JsonResponse } from './ngrok-routes';
import { RateLimiter, type RateLimitOptions } from './rate-limit';

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 120, windowMs: 60_000 };
const MAX_BODY = 1 << 20;

export interface ApiServerOptions {
  store: SandboxStore;
  apiKey: string;
  rateLimit: RateLimitOptions | false;
  now: () => number;
  /** The URL clients reach this server at (no trailing slash), used in every `uri` and `next_page_uri`. */
  baseUrl: () => string;
  /** Serve the admin API under /_sandbox/ (default true); off, those paths are unknown like any other. */
  admin?: boolean;
}

function send(res: ServerResponse, { status, body }: JsonResponse): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, null, 'the request body is larger than 1 MiB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() === '' ? undefined : JSON.parse(text));
      } catch {
        reject(new ApiError(400, 'ERR_NGROK_213', 'the request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

export function createApiServer(opts: ApiServerOptions): { server: Server; limiter: RateLimiter | null } {
  const limiter = opts.rateLimit === false ? null : new RateLimiter(opts.rateLimit, opts.now);

  async function handle(req: IncomingMessage): Promise<JsonResponse> {
    const base = opts.baseUrl();
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const account = authenticate(req.headers.authorization, {
      apiKey: opts.apiKey,
      authtokens: opts.store.authtokens,
    });
    const adminPath = url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`);
    if (opts.admin !== false && adminPath) {
      return routeAdmin(
        { store: opts.store, now: opts.now, resetRateLimit: () => limiter?.reset() },
        method,
        url,
        base,
        () => readJson(req),
      );
    }
    checkVersion(req.headers['ngrok-version'] as string | undefined);
    if (limiter && !limiter.take(account))
      throw Errors.rateLimited(limiter.options.max, limiter.options.windowMs);
    return routeNgrok(opts.store, method, url, base, opts.now);
  }

  const server = createServer((req, res) => {
    handle(req).then(
      (out) => send(res, out),
      (err: unknown) => {
        const apiErr = err instanceof ApiError ? err : new ApiError(500, null, 'internal sandbox error');
        if (!(err instanceof ApiError)) console.error('sitehop sandbox: unexpected error', err);
        send(res, { status: apiErr.status, body: errorBody(apiErr) });
      },
    );
  });
  // Idle keep-alive connections are left for the client to close, as ngrok's API leaves them for longer than a
  // client keeps them idle (undici: 4 s). With node's default (close after 5 s idle, 6 s in fact) the server's idle
  // timer could run after a client had just written a request on the connection, when both share an event loop held
  // busy past it (a cold resolve of a big account): the request was reset unread and the retry cost one more request
  // of the account's budget (8 for a status sync's bound of 7 in the directory bench).
  server.keepAliveTimeout = 0;
  return { server, limiter };
}
