// ngrok's error body: {error_code, status_code, msg, details: {operation_id}} (docs/ngrok-api.md §4).
import { randomBytes } from 'node:crypto';
import type { NgrokErrorBody } from '../../core/ngrok/types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** ERR_NGROK_<n>; null where ngrok documents no code (e.g. a plain 404). */
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

export function operationId(): string {
  return `op_${randomBytes(12).toString('base64url')}`;
}

export function errorBody(err: ApiError): NgrokErrorBody {
  return {
    ...(err.code !== null ? { error_code: err.code } : {}),
    status_code: err.status,
    msg: err.message,
    details: { operation_id: operationId() },
  };
}

export const Errors = {
  noAuth: () =>
    new ApiError(
      401,
      'ERR_NGROK_200',
      'The API authentication you specified is missing. Send your API key as "Authorization: Bearer <key>".',
    ),
  badAuthHeader: () =>
    new ApiError(
      401,
      'ERR_NGROK_201',
      'The Authorization header could not be parsed. Send "Authorization: Bearer <key>".',
    ),
  notACredential: () =>
    new ApiError(401, 'ERR_NGROK_202', 'The API key you specified does not look like a valid API key.'),
  unknownKey: () => new ApiError(401, 'ERR_NGROK_203', 'The API key you specified is not valid.'),
  authtoken: () =>
    new ApiError(
      401,
      'ERR_NGROK_206',
      'You sent an agent authtoken, not an API key. Create an API key in the dashboard (API Keys) and use that.',
    ),
  keyId: () =>
    new ApiError(
      401,
      'ERR_NGROK_208',
      'You sent an API key ID (ak_...), not the API key itself. Use the key shown once when it was created.',
    ),
  noVersion: () =>
    new ApiError(400, 'ERR_NGROK_218', 'The Ngrok-Version header is missing. Send "Ngrok-Version: 2".'),
  badVersion: (v: string) =>
    new ApiError(
      400,
      'ERR_NGROK_217',
      `Ngrok-Version "${v}" is not supported. The only supported version is 2.`,
    ),
  rateLimited: (max: number, windowMs: number) =>
    new ApiError(
      429,
      'ERR_NGROK_226',
      `You have been rate limited: the limit is ${max} API requests per ${Math.round(windowMs / 1000)} seconds.`,
    ),
  badQuery: (msg: string) => new ApiError(400, 'ERR_NGROK_230', msg),
  unknownQuery: (name: string) => new ApiError(400, 'ERR_NGROK_231', `Unknown query parameter "${name}".`),
  repeatedQuery: (name: string) =>
    new ApiError(400, 'ERR_NGROK_232', `The query parameter "${name}" was given more than once.`),
  badLimit: (v: string) =>
    new ApiError(400, 'ERR_NGROK_233', `limit must be a whole number from 1 to 100, not "${v}".`),
  badFilter: (msg: string) => new ApiError(400, 'ERR_NGROK_250', `Invalid CEL query: ${msg}`),
  notFound: () => new ApiError(404, null, 'Resource not found'),
  methodNotAllowed: (method: string, path: string) =>
    new ApiError(
      405,
      null,
      `The sandbox does not implement ${method} ${path}; it serves the read-only calls SiteHop makes.`,
    ),
} as const;
