/**
 * Wire protocol version (worker <-> server) and the oldest version the server still accepts.
 *
 * History:
 * - 1: first version (login, ping, sync catch-up, messages, conversations, groups, profiles).
 * - 2: the change stream: the login result's `changeCursor`, the `syncChanges` op, and `cursor` on
 *   `messageRevoked` / `messageModified` / `groupSystemNotice` pushes, so recalls, edits and
 *   group system notices reach a device that was offline. A version 1 client is still served (it
 *   never asks for changes).
 */
export const PROTOCOL_VERSION = 2;
export const MIN_PROTOCOL_VERSION = 1;

/**
 * Tab <-> worker RPC version. A tab built from another bundle than the worker refuses to attach;
 * the worker name carries the build id so mismatches do not normally happen.
 */
export const RPC_VERSION = 1;
