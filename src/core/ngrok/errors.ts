// Typed failures of the ngrok REST API, each with a sentence a field technician can act on.
// Messages are built here from status, ngrok error code and host only: never from the request headers, so the API
// key cannot leak into them; `redactKey` is a last guard for the one place text comes from outside (a bad URL).
import { AppError } from '../errors';
import type { ErrorCode } from '../../shared/contract';

export type NgrokErrorKind =
  'auth' | 'forbidden' | 'not_found' | 'rate_limited' | 'server' | 'network' | 'timeout' | 'bad_response';

const CODE_BY_KIND: Record<NgrokErrorKind, ErrorCode> = {
  auth: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  rate_limited: 'rate_limited',
  server: 'unavailable',
  network: 'unavailable',
  timeout: 'unavailable',
  bad_response: 'unavailable',
};

export interface NgrokApiErrorInit {
  kind: NgrokErrorKind;
  message: string;
  /** HTTP status, or null when no answer came (network, timeout). */
  status?: number | null;
  /** ngrok's `error_code`, e.g. "ERR_NGROK_203", when the body carried one. */
  ngrokCode?: string | null;
  /** ngrok's `details.operation_id`: quote it to ngrok support. */
  operationId?: string | null;
  /** After a 429: how long the account is to be left alone (the server's Retry-After, else one rate window). */
  retryAfterMs?: number | null;
  cause?: unknown;
}

export class NgrokApiError extends AppError {
  readonly kind: NgrokErrorKind;
  readonly status: number | null;
  readonly ngrokCode: string | null;
  readonly operationId: string | null;
  readonly retryAfterMs: number | null;

  constructor(init: NgrokApiErrorInit) {
    super(
      CODE_BY_KIND[init.kind],
      init.message,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'NgrokApiError';
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.ngrokCode = init.ngrokCode ?? null;
    this.operationId = init.operationId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

export function isNgrokApiError(err: unknown): err is NgrokApiError {
  return err instanceof NgrokApiError;
}

export function redactKey(text: string, apiKey: string): string {
  const key = apiKey.trim();
  return key.length >= 4 ? text.split(key).join('[API key]') : text;
}

/** What ngrok said, read defensively: the body may be anything. */
export interface ErrorBodyFacts {
  ngrokCode: string | null;
  operationId: string | null;
}

export function readErrorBody(text: string): ErrorBodyFacts {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return { ngrokCode: null, operationId: null };
    const code = (body as { error_code?: unknown }).error_code;
    const details = (body as { details?: unknown }).details;
    const op =
      typeof details === 'object' && details !== null
        ? (details as { operation_id?: unknown }).operation_id
        : undefined;
    return {
      ngrokCode: typeof code === 'string' && code.length <= 40 ? code : null,
      operationId: typeof op === 'string' && op.length <= 100 ? op : null,
    };
  } catch {
    return { ngrokCode: null, operationId: null };
  }
}

const WRONG_KEY =
  'ngrok did not accept this API key. Check that you copied the whole key from the ngrok dashboard (API → API Keys) and that it has not been deleted.';

/** Error-code specific sentences, from the ngrok error pages (see docs/ngrok-api.md §4). */
const BY_NGROK_CODE: Record<string, { kind: NgrokErrorKind; message: string }> = {
  ERR_NGROK_200: {
    kind: 'auth',
    message: 'No API key was sent to ngrok. Add the workspace again with its API key.',
  },
  ERR_NGROK_201: { kind: 'auth', message: WRONG_KEY },
  ERR_NGROK_202: { kind: 'auth', message: WRONG_KEY },
  ERR_NGROK_203: { kind: 'auth', message: WRONG_KEY },
  ERR_NGROK_206: {
    kind: 'auth',
    message:
      'This is an agent authtoken, not an API key. Create an API key in the ngrok dashboard (API → API Keys) and paste that key instead.',
  },
  ERR_NGROK_207: {
    kind: 'auth',
    message:
      'This is an agent authtoken, not an API key. Create an API key in the ngrok dashboard (API → API Keys) and paste that key instead.',
  },
  ERR_NGROK_208: {
    kind: 'auth',
    message:
      'This is the ID of an API key (it starts with "ak_"), not the key itself. ngrok shows the key only once, when it is created: create a new API key and paste the key.',
  },
  ERR_NGROK_204: {
    kind: 'forbidden',
    message:
      'This ngrok account is not allowed to use the ngrok API. The account owner can check the plan in the ngrok dashboard.',
  },
  ERR_NGROK_205: {
    kind: 'forbidden',
    message:
      'This ngrok account is suspended, so its API cannot be used. The account owner should contact ngrok.',
  },
  ERR_NGROK_247: {
    kind: 'forbidden',
    message:
      'This ngrok account is suspended for non-payment, so its API cannot be used. The account owner should check billing in the ngrok dashboard.',
  },
  ERR_NGROK_220: {
    kind: 'forbidden',
    message:
      "This ngrok account accepts API calls only from allowed IP addresses, and this computer's address is not one of them. Ask the account admin to add it (IP Restrictions, type API).",
  },
  ERR_NGROK_1219: {
    kind: 'forbidden',
    message:
      'The owner of this API key lacks the permission needed to read the account. Ask the account admin for a key with Developer or Admin rights.',
  },
  ERR_NGROK_1220: {
    kind: 'forbidden',
    message:
      'The owner of this API key lacks the permission needed to read the account. Ask the account admin for a key with Developer or Admin rights.',
  },
};

export interface HttpFailure {
  status: number;
  bodyText: string;
  /** e.g. "endpoints": names what was being read in a 404 message. */
  what: string;
  attempts: number;
  retryAfterMs?: number;
}

/** Turns a final non-2xx answer into a typed error. */
export function httpError(f: HttpFailure): NgrokApiError {
  const { ngrokCode, operationId } = readErrorBody(f.bodyText);
  const base = {
    status: f.status,
    ngrokCode,
    operationId,
    ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
  };
  const known = ngrokCode === null ? undefined : BY_NGROK_CODE[ngrokCode];
  if (known) return new NgrokApiError({ ...base, ...known });
  const tag = ngrokCode === null ? `HTTP ${f.status}` : `HTTP ${f.status}, ${ngrokCode}`;
  if (f.status === 401) return new NgrokApiError({ ...base, kind: 'auth', message: WRONG_KEY });
  if (f.status === 403)
    return new NgrokApiError({
      ...base,
      kind: 'forbidden',
      message: `ngrok refused access to the account's ${f.what} (${tag}). The API key's owner may lack permission, or the account may restrict API access.`,
    });
  if (f.status === 404)
    return new NgrokApiError({
      ...base,
      kind: 'not_found',
      message: `The ngrok API has no ${f.what} here (${tag}). Check the API URL of this workspace.`,
    });
  if (f.status === 429)
    return new NgrokApiError({
      ...base,
      kind: 'rate_limited',
      message: `ngrok's API rate limit (120 requests per minute for the whole account) was still reached after ${f.attempts} ${f.attempts === 1 ? 'try' : 'tries'}. Other tools may be using the same account; wait a minute and sync again.`,
    });
  if (f.status >= 500)
    return new NgrokApiError({
      ...base,
      kind: 'server',
      message: `ngrok's API is having trouble (${tag}) and did not recover after ${f.attempts} tries. Try again in a few minutes.`,
    });
  return new NgrokApiError({
    ...base,
    kind: 'bad_response',
    message: `The ngrok API rejected SiteHop's request for ${f.what} (${tag}). SiteHop may need an update.`,
  });
}

export function timeoutError(host: string, timeoutMs: number, attempts: number): NgrokApiError {
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  return new NgrokApiError({
    kind: 'timeout',
    message: `The ngrok API at ${host} did not answer within ${seconds} s (${attempts} tries). Check the network connection and try again.`,
  });
}

export function truncatedError(host: string, attempts: number, cause?: unknown): NgrokApiError {
  return new NgrokApiError({
    kind: 'bad_response',
    message: `The answer from the ngrok API at ${host} was cut off before it was complete (${attempts} tries). An unstable connection or a proxy can cause this; try again.`,
    cause,
  });
}

export function notJsonError(host: string, status: number, contentType: string | null): NgrokApiError {
  const type = contentType ? `, ${contentType.split(';')[0]?.trim()}` : '';
  return new NgrokApiError({
    kind: 'bad_response',
    status,
    message: `The server at ${host} answered with something that is not the ngrok API (HTTP ${status}${type}, not JSON). Check the API URL; a proxy or Wi-Fi login page may be in the way.`,
  });
}

export function shapeError(host: string, what: string): NgrokApiError {
  return new NgrokApiError({
    kind: 'bad_response',
    message: `The ngrok API at ${host} answered the request for ${what} in an unexpected shape. SiteHop may need an update.`,
  });
}

/** Node's fetch reports connection failures as TypeError("fetch failed") with a system error as `cause`. */
function systemCode(err: unknown): string | null {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

export function networkError(host: string, err: unknown, attempts: number): NgrokApiError {
  const code = systemCode(err);
  const tries = attempts > 1 ? ` (${attempts} tries)` : '';
  let message: string;
  if (code === 'ECONNREFUSED')
    message = `Cannot reach the ngrok API at ${host}: the connection was refused${tries}. Check the API URL and the network connection.`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    message = `Cannot find the ngrok API server ${host} (DNS lookup failed${tries}). Check the network connection and the API URL.`;
  else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
    message = `The connection to the ngrok API at ${host} was dropped${tries}. Check the network connection and try again.`;
  else if (code !== null && /CERT|TLS|SSL/i.test(code))
    message = `The secure connection to ${host} failed (${code}). A proxy may be intercepting traffic; check the network.`;
  else
    message = `Cannot reach the ngrok API at ${host}${code ? ` (${code})` : ''}${tries}. Check the network connection and try again.`;
  return new NgrokApiError({ kind: 'network', message, cause: err });
}
