// Authorization and version checks, in the order ngrok's error codes imply: which header is missing or wrong,
// then what kind of secret was sent (docs/ngrok-api.md §4), so a client can tell the user exactly what to fix.
import { ApiError, Errors } from './errors';

export interface AuthContext {
  apiKey: string;
  /** Agent authtokens of the account (ERR_NGROK_206 when sent as a bearer). */
  authtokens: ReadonlySet<string>;
}

const PLAUSIBLE = /^[A-Za-z0-9_\-.~+/=]{8,512}$/;

/** Returns the account the request acts for (the key), or throws the ngrok-style 401. */
export function authenticate(header: string | undefined, ctx: AuthContext): string {
  if (header === undefined || header.trim() === '') throw Errors.noAuth();
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header.trim());
  if (!m) throw Errors.badAuthHeader();
  const token = m[1]!;
  if (token === ctx.apiKey) return token;
  if (/^ak_[0-9A-Za-z]+$/.test(token)) throw Errors.keyId();
  if (ctx.authtokens.has(token)) throw Errors.authtoken();
  if (!PLAUSIBLE.test(token)) throw Errors.notACredential();
  // ngrok API keys and authtokens share one shape, so only the account's own authtokens are recognised as such;
  // any other well-formed token is just an invalid key.
  throw Errors.unknownKey();
}

export function checkVersion(header: string | undefined): void {
  if (header === undefined) throw Errors.noVersion();
  if (header.trim() !== '2') throw Errors.badVersion(header);
}

export { ApiError };
