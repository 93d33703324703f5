// Validates query and answer envelopes against their JSON Schemas, with coded, data-free errors.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { CoreError } from '../errors/core-error.js';
import type { IdentifierSchemes } from '../identifiers/schemes.js';
import { createAjv } from '../schema/create-ajv.js';
import {
  ANSWER_STATUSES,
  AnswerSchemas,
  QueryBatchSchema,
  QueryEnvelopeSchema,
  type AnswerEnvelope,
  type AnswerStatus,
  type QueryBatch,
  type QueryEnvelope,
} from './schemas.js';

const ajv = createAjv();
let queryValidator: ValidateFunction | undefined;
let batchValidator: ValidateFunction | undefined;
const answerValidators = new Map<AnswerStatus, ValidateFunction>();

/** Options of {@link parseQuery}. */
export interface ParseQueryOptions {
  /** When given, the subject's identifier is also checked by its scheme. */
  schemes?: IdentifierSchemes;
}

/**
 * Checks that `value` is a query envelope and returns it typed.
 *
 * @throws CoreError `CORE_ENVELOPE_INVALID` with the failing path and keyword in its context
 *   (never the value), or an identifier code when `schemes` is given and the subject is invalid.
 * @example
 * ```ts
 * const query = parseQuery(JSON.parse(body), { schemes: createDefaultSchemes() });
 * ```
 */
export function parseQuery(value: unknown, options: ParseQueryOptions = {}): QueryEnvelope {
  queryValidator ??= ajv.compile(QueryEnvelopeSchema);
  if (!queryValidator(value)) throw envelopeError('query', queryValidator.errors);

  const query = value as QueryEnvelope;
  if (options.schemes) options.schemes.parse(query.subject);
  return query;
}

/** Options of {@link parseQueryBatch}. */
export interface ParseQueryBatchOptions extends ParseQueryOptions {
  /** The most subjects accepted in one batch (at most the schema's 10,000). */
  maxSubjects?: number;
}

/**
 * Checks that `value` is a batch query and returns it typed.
 *
 * @throws CoreError `CORE_ENVELOPE_INVALID` (also for more subjects than `maxSubjects`, with
 *   `context.keyword` `maxItems`), or an identifier code for the first invalid subject (its
 *   position in `context.index`) when `schemes` is given.
 */
export function parseQueryBatch(value: unknown, options: ParseQueryBatchOptions = {}): QueryBatch {
  batchValidator ??= ajv.compile(QueryBatchSchema);
  if (!batchValidator(value)) throw envelopeError('query batch', batchValidator.errors);

  const batch = value as QueryBatch;
  if (options.maxSubjects !== undefined && batch.subjects.length > options.maxSubjects) {
    throw new CoreError('CORE_ENVELOPE_INVALID', 'The batch holds more subjects than allowed.', {
      context: {
        envelope: 'query batch',
        path: '/subjects',
        keyword: 'maxItems',
        limit: options.maxSubjects,
      },
    });
  }
  if (options.schemes) {
    batch.subjects.forEach((subject, index) => {
      try {
        options.schemes?.parse(subject);
      } catch (err) {
        if (err instanceof CoreError) {
          throw new CoreError(err.code, err.message, {
            context: { ...err.context, index },
            cause: err,
          });
        }
        throw err;
      }
    });
  }
  return batch;
}

/**
 * Checks that `value` is an answer envelope and returns it typed. The status is checked first so
 * that errors speak of the schema of that status.
 *
 * @throws CoreError `CORE_ENVELOPE_INVALID`.
 */
export function parseAnswer(value: unknown): AnswerEnvelope {
  const status = (value as { status?: unknown } | null)?.status;
  if (typeof status !== 'string' || !(ANSWER_STATUSES as readonly string[]).includes(status)) {
    throw new CoreError('CORE_ENVELOPE_INVALID', 'The answer has no known status.', {
      context: { envelope: 'answer', path: '/status', keyword: 'enum' },
    });
  }

  const key = status as AnswerStatus;
  let validate = answerValidators.get(key);
  if (!validate) {
    validate = ajv.compile(AnswerSchemas[key]);
    answerValidators.set(key, validate);
  }
  if (!validate(value)) throw envelopeError('answer', validate.errors);
  return value as AnswerEnvelope;
}

function envelopeError(envelope: string, errors: ErrorObject[] | null | undefined): CoreError {
  const first = errors?.[0];
  const path = first?.instancePath || '/';
  const keyword = first?.keyword ?? 'unknown';
  const params = (first?.params ?? {}) as { missingProperty?: string; additionalProperty?: string };
  const named = params.missingProperty ?? params.additionalProperty;
  // A property name comes from the input: name it only when it looks like a schema key.
  const property = named && /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(named) ? named : undefined;
  const what = property ? `${path} ${keyword} '${property}'` : `${path} ${keyword}`;

  return new CoreError('CORE_ENVELOPE_INVALID', `The ${envelope} envelope is invalid: ${what}.`, {
    context: { envelope, path, keyword, property },
  });
}
