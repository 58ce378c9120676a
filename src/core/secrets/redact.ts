// Belt and braces: the ngrok client never puts the key in an error, but anything that crosses to the renderer,
// a log or a file passes through here first, so a future slip cannot leak it.
import { AppError } from '../errors';

export function redactSecret(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

/** The same error with the secret removed from its message (an AppError keeps its code). */
export function redactError(err: unknown, secret: string): unknown {
  if (!(err instanceof Error) || !err.message.includes(secret) || secret.length < 4) return err;
  const message = redactSecret(err.message, secret);
  return err instanceof AppError ? new AppError(err.code, message) : new Error(message);
}
