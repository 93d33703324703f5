// Public API of @interop-blocks/core.

export {
  InteropError,
  type ErrorContext,
  type InteropErrorOptions,
} from './errors/interop-error.js';
export { CORE_ERROR_CODES, CoreError, type CoreErrorCode } from './errors/core-error.js';

export {
  SLOVENIAN_REGISTERS,
  checkEmso,
  emsoWithCheckDigit,
  validateEmso,
  type EmsoFacts,
  type EmsoOptions,
} from './identifiers/emso.js';
export {
  checkTaxNumber,
  taxNumberWithCheckDigit,
  validateTaxNumber,
} from './identifiers/tax-number.js';
export {
  IdentifierSchemes,
  createDefaultSchemes,
  emsoScheme,
  parseSubject,
  taxScheme,
  type IdentifierScheme,
  type Subject,
} from './identifiers/schemes.js';

export {
  ANSWER_STATUSES,
  AnswerEnvelopeSchema,
  AnswerBatchSchema,
  AnswerSchemas,
  PeriodSchema,
  PurposeCodeSchema,
  PurposeContextSchema,
  QueryBatchSchema,
  QueryEnvelopeSchema,
  ReasonSchema,
  SourceIdSchema,
  SubjectSchema,
  type AnswerBatch,
  type AnswerEnvelope,
  type AnswerOf,
  type AnswerStatus,
  type Period,
  type PurposeContext,
  type QueryBatch,
  type QueryEnvelope,
  type Reason,
  type SubjectRef,
} from './envelope/schemas.js';
export {
  parseAnswer,
  parseQuery,
  parseQueryBatch,
  type ParseQueryBatchOptions,
  type ParseQueryOptions,
} from './envelope/validate-envelope.js';
export { isFinalStatus } from './envelope/statuses.js';
export { createAjv } from './schema/create-ajv.js';

export { ManualClock, systemClock, type Clock } from './clock.js';
export { isUuidV7, newId, uuidV7Time } from './ids.js';
export { channelName, coreChannels, diagnosticsChannelFor, type Block } from './diagnostics.js';
export { silentLogger, type LogFn, type Logger } from './logger.js';

export { openStore, type OpenStoreOptions } from './store/open-store.js';
export { parseStoreUrl, type Backend, type StoreLocation } from './store/store-url.js';
export type { Store, TransactionOptions } from './store/store.js';
export type { BulkValue } from './store/insert-many.js';
export {
  MIGRATIONS_TABLE,
  type Migration,
  type MigrationResult,
  type MigrationSet,
} from './store/migrations.js';
