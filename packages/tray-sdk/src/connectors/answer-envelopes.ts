// Turns core answer envelopes into raw outcomes, and checks they answer what was asked.

import {
  AnswerBatchSchema,
  AnswerEnvelopeSchema,
  createAjv,
  type AnswerBatch,
  type AnswerEnvelope,
  type SubjectRef,
} from '@interop-blocks/core';
import type { Evidence, RawOutcome } from './connector.js';
import { failedOutcome, permanent, type Failure } from './outcomes.js';

// One ajv each: the batch schema embeds the envelope schema with the same $id.
const validateBatch = createAjv().compile<AnswerBatch>(AnswerBatchSchema);
const validateEnvelope = createAjv().compile<AnswerEnvelope>(AnswerEnvelopeSchema);

/** Parses an answer batch; a failure when the bytes are not JSON or break the schema. */
export function parseAnswerBatch(body: Buffer): AnswerBatch | Failure {
  const parsed = parseJson(body);
  if (parsed === undefined || !validateBatch(parsed)) {
    return permanent('TRAY_ANSWER_MALFORMED', 'The answer is not a valid answer batch.');
  }
  return parsed;
}

/** Parses one answer envelope; a failure when it breaks the schema. */
export function checkAnswerEnvelope(value: unknown): AnswerEnvelope | Failure {
  if (!validateEnvelope(value)) {
    return permanent('TRAY_ANSWER_MALFORMED', 'The answer is not a valid answer envelope.');
  }
  return value;
}

/** True when `value` is a failure rather than a parsed answer. */
export function isFailure(value: object): value is Failure {
  return 'retryable' in value && 'code' in value;
}

/** The JSON value of the bytes, or undefined when they are not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The same subject, compared as identifiers are normalised (case, spaces and hyphens ignored;
 * a tax number with or without its `SI` prefix), since sources answer in normalised form.
 */
export function sameSubject(asked: SubjectRef, answered: SubjectRef): boolean {
  const norm = (s: SubjectRef) => {
    const id = s.id.replace(/[\s-]/g, '').toUpperCase();
    return s.scheme === 'tax' ? id.replace(/^SI/, '') : id;
  };
  return asked.scheme === answered.scheme && norm(asked) === norm(answered);
}

/**
 * The raw outcome of one answer envelope for the enquiry `requestId`. `expired` (the source gave
 * up waiting) becomes a failure that no retry mends; `waiting` keeps its deadline.
 */
export function outcomeOfEnvelope(
  requestId: string,
  answer: AnswerEnvelope,
  evidence: Evidence | undefined,
): RawOutcome {
  const withEvidence = evidence ? { evidence } : {};
  switch (answer.status) {
    case 'found':
      return {
        requestId,
        status: 'found',
        data: answer.data,
        ...(answer.version ? { version: answer.version } : {}),
        ...withEvidence,
      };
    case 'not_found':
      return {
        requestId,
        status: 'not_found',
        ...(answer.version ? { version: answer.version } : {}),
        ...withEvidence,
      };
    case 'refused':
      return { requestId, status: 'refused', reason: answer.reason, ...withEvidence };
    case 'waiting':
      return { requestId, status: 'waiting', deadline: answer.deadline };
    case 'failed':
      return {
        requestId,
        status: 'failed',
        reason: answer.reason,
        retryable: false,
      };
    case 'expired':
      return failedOutcome(requestId, {
        code: 'TRAY_SOURCE_TIMEOUT',
        message: `The source let the request expire (${answer.reason.code}).`,
        retryable: false,
      });
  }
}
