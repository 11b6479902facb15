/**
 * The one error class of the server: a Tencent-style numeric `code`, a message and, for a few
 * errors, `data` the client needs (2480 carries the latest message). Services throw it; the
 * connection layer turns it into an error response. Anything else becomes 10002.
 */
import { ErrorCode } from '../protocol/codes.js';

export class ImError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'ImError';
    this.code = code;
    this.data = data;
  }
}

export function toImError(err: unknown): ImError {
  if (err instanceof ImError) return err;
  return new ImError(ErrorCode.SERVER_INTERNAL, 'internal server error');
}

export function invalid(message: string): ImError {
  return new ImError(ErrorCode.INVALID_PARAMETER, message);
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
