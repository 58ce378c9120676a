// Errors the core raises on purpose. Their message is written for a technician and is safe to show:
// it never contains a secret or a stack. Anything else that escapes a handler becomes 'internal'.
import type { ErrorCode } from '../shared/contract';

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
