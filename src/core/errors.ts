/**
 * The one error class of the client: every rejection the public API produces is an `IMError`
 * with a Tencent numeric `code` (see src/protocol/codes.ts) and a message. Anything else
 * (DOMException, TypeError, a server frame) is wrapped at the boundary where it enters.
 */
import { ErrorCode } from '../protocol/codes.js';
import type { RpcErrorData } from '../protocol/rpc.js';

export class IMError extends Error {
  readonly code: number;
  readonly data?: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'IMError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  /** The shape that crosses a port or a socket: `{code, message, data?}`. */
  toJSON(): RpcErrorData {
    const out: RpcErrorData = { code: this.code, message: this.message };
    if (this.data !== undefined) out.data = this.data;
    return out;
  }
}

export function isIMError(value: unknown): value is IMError {
  return value instanceof IMError;
}

function isErrorData(value: unknown): value is RpcErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'number' && typeof v.message === 'string';
}

/**
 * Wrap anything into an IMError. An IMError passes through; `{code, message}` data keeps its code;
 * everything else gets `fallbackCode`.
 */
export function toIMError(
  value: unknown,
  fallbackCode: number = ErrorCode.SERVER_INTERNAL,
): IMError {
  if (value instanceof IMError) return value;
  if (isErrorData(value)) return new IMError(value.code, value.message, value.data);
  if (value instanceof Error) return new IMError(fallbackCode, value.message || value.name);
  return new IMError(fallbackCode, typeof value === 'string' ? value : 'Unknown error');
}

/** The data form of any error, ready to be posted across a port. */
export function toErrorData(value: unknown, fallbackCode?: number): RpcErrorData {
  return toIMError(value, fallbackCode).toJSON();
}

/** Rebuild an IMError from data that crossed a boundary (tolerates malformed data). */
export function fromErrorData(value: unknown): IMError {
  if (isErrorData(value)) return new IMError(value.code, value.message, value.data);
  return new IMError(ErrorCode.SERVER_INTERNAL, 'Malformed error from the engine', value);
}

export function invalidParameters(message: string): IMError {
  return new IMError(ErrorCode.INVALID_PARAMETERS, message);
}
