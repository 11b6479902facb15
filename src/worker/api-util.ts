/** What the request handlers of the engine (engine-api.ts and its parts) share. */
import { ErrorCode } from '../protocol/codes.js';
import { parseOp, type Op, type OpData } from '../protocol/wire.js';
import { IMError } from '../core/errors.js';
import type { Engine } from './engine.js';
import type { PortPeer } from './port-peer.js';

export type Handler = (engine: Engine, peer: PortPeer, payload: any) => Promise<unknown> | unknown;

/** Validate a request against the op's wire schema: bad input is 6017 and nothing is sent. */
export function validate<K extends Op>(op: K, data: unknown): OpData<K> {
  const r = parseOp(op, data ?? {});
  if (!r.ok) throw new IMError(ErrorCode.INVALID_PARAMETERS, `${op}: ${r.message}`);
  return r.value;
}

export function isNetworkError(err: unknown): boolean {
  return (
    err instanceof IMError &&
    (err.code === ErrorCode.NET_DISCONNECTED || err.code === ErrorCode.NET_WAIT_ACK_TIMEOUT)
  );
}
