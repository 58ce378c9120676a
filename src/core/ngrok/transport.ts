// One authenticated GET against the ngrok API, made robust: paced under the account limit, bounded by a timeout,
// retried on 5xx / network / timeout / cut-off bodies with exponential backoff and jitter, retried after a 429 once
// the window has rolled, and turned into a typed NgrokApiError otherwise. The body is read and parsed here, so
// callers (openapi-fetch included) only ever see complete JSON.
import {
  httpError,
  NgrokApiError,
  networkError,
  notJsonError,
  shapeError,
  timeoutError,
  truncatedError,
} from './errors';
import type { RequestPacer } from './pacer';
import { sleepUnlessAborted } from './pacer';

export interface TransportOptions {
  apiKey: string;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  pacer: RequestPacer;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Tries after a 429 (default maxRetries). 0 for background reads: they fail and come back after the wait. */
  rateLimitRetries?: number;
  /**
   * Told when a try got no answer within timeoutMs and another try follows (`attempt`: the tries so far), so a
   * hanging API is said at once rather than after every try has timed out. Never a request of its own.
   */
  onNoAnswer?: (attempt: number) => void;
  /**
   * Told when a 429 holds every request of the account and another try follows after `waitMs` (another technician
   * or a script spent the shared budget), so the wait is said at once rather than as a bar that stops. No request.
   */
  onRateLimited?: (waitMs: number) => void;
}

/** Retry-After in seconds or as an HTTP date, in ms from `nowMs`; null when absent or unreadable. */
export function readRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v), 3600) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - nowMs), 3_600_000) : null;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;

const FRIENDLY: Record<string, string> = {
  endpoints: 'endpoints',
  reserved_addrs: 'reserved addresses',
  tunnel_sessions: 'agent sessions',
  credentials: 'authtokens',
  bot_users: 'bot users',
  service_users: 'service users',
};

function whatOf(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
  return FRIENDLY[last] ?? 'data';
}

type Attempt =
  | { ok: true; body: object; text: string }
  | {
      ok: false;
      retry: 'backoff' | 'window' | 'no';
      error: () => NgrokApiError;
      /** After a 429: the server's wait (Retry-After), or null for "one rate window". */
      waitMs?: number | null;
      /** No answer within the timeout. */
      timedOut?: true;
    };

export class NgrokTransport {
  private made = 0;

  constructor(private readonly opts: TransportOptions) {}

  get requestsMade(): number {
    return this.made;
  }

  /** GETs `url` and returns its parsed JSON object, or throws NgrokApiError (or the signal's reason on abort). */
  async getJson(url: string, signal?: AbortSignal): Promise<{ body: object; text: string }> {
    const target = new URL(url);
    for (let attempt = 1; ; attempt++) {
      await this.opts.pacer.acquire(signal);
      let result: Attempt;
      try {
        result = await this.attempt(target, attempt, signal);
      } finally {
        this.opts.pacer.completed();
      }
      if (result.ok) return { body: result.body, text: result.text };
      const limit =
        result.retry === 'window'
          ? (this.opts.rateLimitRetries ?? this.opts.maxRetries)
          : this.opts.maxRetries;
      const retriesLeft = attempt <= limit;
      // Every client of the account shares this pacer: all of them hold off for the server's wait, and the retry
      // (if any) goes only after it, never in a tight loop.
      if (result.retry === 'window') this.opts.pacer.penalize(result.waitMs ?? undefined);
      if (result.retry === 'no' || !retriesLeft) throw result.error();
      if (result.timedOut) this.opts.onNoAnswer?.(attempt);
      if (result.retry === 'window') this.opts.onRateLimited?.(this.opts.pacer.blockedForMs());
      if (result.retry === 'backoff')
        await sleepUnlessAborted(this.opts.sleep, this.backoffMs(attempt), signal);
    }
  }

  /** openapi-fetch's `fetch` option: the same robust GET, answered as a Response holding the parsed body. */
  readonly fetch = async (req: Request): Promise<Response> => {
    const { text } = await this.getJson(req.url, req.signal);
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
  };

  /** Full-jitter-from-half: never zero (no thundering retry), never above the cap. */
  private backoffMs(attempt: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    const r = Math.min(1, Math.max(0, this.opts.random()));
    return Math.round(ceiling / 2 + (r * ceiling) / 2);
  }

  private async attempt(url: URL, attempt: number, signal?: AbortSignal): Promise<Attempt> {
    const host = url.host;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const aborted = (): boolean => signal?.aborted === true;
    this.made++;

    let res: Response;
    try {
      res = await this.opts.fetch(url, {
        method: 'GET',
        headers: {
          Authorization: `Bearer ${this.opts.apiKey}`,
          'Ngrok-Version': '2',
          Accept: 'application/json',
        },
        signal: combined,
        // A redirect could carry the key to another host; the API never redirects, so treat one as an odd answer.
        redirect: 'manual',
      });
    } catch (err) {
      if (aborted()) throw signal?.reason;
      if (timeout.aborted)
        return {
          ok: false,
          retry: 'backoff',
          timedOut: true,
          error: () => timeoutError(host, this.opts.timeoutMs, attempt),
        };
      return { ok: false, retry: 'backoff', error: () => networkError(host, err, attempt) };
    }

    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (aborted()) throw signal?.reason;
      if (timeout.aborted)
        return {
          ok: false,
          retry: 'backoff',
          timedOut: true,
          error: () => timeoutError(host, this.opts.timeoutMs, attempt),
        };
      if (!res.ok) text = '';
      else return { ok: false, retry: 'backoff', error: () => truncatedError(host, attempt, err) };
    }

    const what = whatOf(url);
    if (res.status === 429) {
      const waitMs = readRetryAfter(res.headers.get('retry-after'), Date.now());
      return {
        ok: false,
        retry: 'window',
        waitMs,
        error: () =>
          httpError({
            status: 429,
            bodyText: text,
            what,
            attempts: attempt,
            retryAfterMs: waitMs ?? this.opts.pacer.windowMs,
          }),
      };
    }
    if (res.status >= 500)
      return {
        ok: false,
        retry: 'backoff',
        error: () => httpError({ status: res.status, bodyText: text, what, attempts: attempt }),
      };
    if (res.status >= 300 && res.status < 400)
      return {
        ok: false,
        retry: 'no',
        error: () =>
          new NgrokApiError({
            kind: 'bad_response',
            status: res.status,
            message: `The server at ${host} redirected SiteHop elsewhere (HTTP ${res.status}) instead of answering as the ngrok API. Check the API URL; a proxy or Wi-Fi login page may be in the way.`,
          }),
      };
    if (!res.ok)
      return {
        ok: false,
        retry: 'no',
        error: () => httpError({ status: res.status, bodyText: text, what, attempts: attempt }),
      };

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // JSON that starts well but does not end is a cut-off answer (worth another try); anything else is not the API.
      const looksLikeJson = /^\s*[[{]/.test(text);
      if (looksLikeJson) return { ok: false, retry: 'backoff', error: () => truncatedError(host, attempt) };
      return {
        ok: false,
        retry: 'no',
        error: () => notJsonError(host, res.status, res.headers.get('content-type')),
      };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { ok: false, retry: 'no', error: () => shapeError(host, what) };
    return { ok: true, body, text };
  }
}
