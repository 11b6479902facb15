/**
 * The client core's public surface. `IMChat` mirrors the `TencentCloudChat` default export:
 * `IMChat.create({SDKAppID, server})`, `IMChat.EVENT`, `IMChat.TYPES`.
 */
import { EVENT, TYPES } from '../protocol/constants.js';
import { configureClients, create, getClient, releaseClient } from './chat-client.js';

export const IMChat = { create, getClient, releaseClient, configureClients, EVENT, TYPES } as const;
export default IMChat;

export {
  create,
  defaultServer,
  ChatClientImpl,
  normalizeServer,
  type ChatCreateOptions,
} from './chat-client.js';
export {
  getClient,
  releaseClient,
  configureClients,
  type ClientConfig,
  type ClientOptions,
} from './chat-client.js';
export { IMError, isIMError, toIMError } from './errors.js';
export { spawnEngine, workerName, buildID, type SpawnOptions, type SpawnMode } from './spawn.js';
export { EVENT, TYPES } from '../protocol/constants.js';
export { ErrorCode } from '../protocol/codes.js';
export { INTERNAL_EVENT } from '../protocol/rpc.js';
export {
  LIFECYCLE_EVENT,
  typingStatusOf,
  type TypingEventData,
  type MessagesDeletedEventData,
} from './internal-events.js';
export { getMessageFile, type MessageFile, type UploadKind } from './message-factory.js';
export { TYPING_THROTTLE_MS } from './client.js';
export type * from './client-types.js';
export type * from '../protocol/types.js';
