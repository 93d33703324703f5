// Public API of @interop-blocks/async-module.

export { ASYNC_ERROR_CODES, AsyncError, type AsyncErrorCode } from './errors.js';

// Waiting rooms
export { openWaitingRooms } from './rooms/open-waiting-rooms.js';
export { ROOMS_MIGRATIONS } from './rooms/schema.js';
export { callbackBackoff } from './rooms/deliveries.js';
export { lateChannel, expiredChannel } from './rooms/deadlines.js';
export type {
  CallbackDelivery,
  DeliveredAnswer,
  DeliveryReport,
  GroupStatus,
  ItemOutcome,
  LateRequest,
  Lease,
  RequestStatus,
  RoomDeclaration,
  RoomRequest,
  SourceAnswer,
  SourceDecline,
  SubmitInput,
  SubmitResult,
  WaitingRooms,
  WaitingRoomsOptions,
} from './types.js';

// HTTP API
export { asyncModulePlugin, type AsyncModulePluginOptions } from './http/async-plugin.js';
export {
  createAsyncServer,
  type AsyncServer,
  type AsyncServerOptions,
} from './http/create-async-server.js';
export { SIGNATURE_HEADER } from './http/signed-route.js';
export type { RoomAccess } from './http/source-access.js';
export type { RefusalBody } from './http/refusal.js';

// Callbacks
export {
  CallbackDeliverer,
  type CallbackBody,
  type CallbackDelivererOptions,
} from './callbacks/callback-deliverer.js';
export { backoffDelay, type BackoffOptions } from './callbacks/backoff.js';

// Files
export { BATCH_NAMESPACE } from './files/batch-schema.js';
export { buildRequestFile, type FileSigningOptions } from './files/build-request-file.js';
export {
  readAnswerFile,
  type AnswerFile,
  type ReadAnswerFileOptions,
} from './files/read-answer-file.js';
export { registerFileRoutes, type FileRoutesOptions } from './files/file-routes.js';

// Clerk page
export { registerClerkPage, type ClerkPageOptions } from './clerk/clerk-page.js';
