// Refusals of the HTTP API: an AsyncError, the HTTP status it maps to, and its JSON body.

import { diagnosticsChannelFor } from '@interop-blocks/core';
import type { FastifyError, FastifyReply } from 'fastify';
import { AsyncError, type AsyncErrorCode } from '../errors.js';

/** `{ error }` for every unexpected error answered as `ASYNC_INTERNAL` (for operators' logs). */
const internalError = diagnosticsChannelFor('async', 'http', 'internal-error');

const STATUS: Partial<Record<AsyncErrorCode, number>> = {
  ASYNC_CLIENT_UNAUTHENTICATED: 401,
  ASYNC_SIGNATURE_MISSING: 401,
  ASYNC_SIGNATURE_INVALID: 401,
  ASYNC_SIGNER_MISMATCH: 403,
  ASYNC_ORGANISATION_MISMATCH: 403,
  ASYNC_ACCESS_DENIED: 403,
  ASYNC_NOT_ROOM_OWNER: 403,
  ASYNC_SOURCE_FORBIDDEN: 403,
  ASYNC_REQUEST_FOREIGN: 403,
  ASYNC_FILE_SIGNER_MISMATCH: 403,
  ASYNC_CLERK_FORBIDDEN: 403,
  ASYNC_CLERK_CSRF: 403,
  ASYNC_ROUTE_UNKNOWN: 404,
  ASYNC_ROOM_UNKNOWN: 404,
  ASYNC_REQUEST_UNKNOWN: 404,
  ASYNC_LEASE_UNKNOWN: 404,
  ASYNC_REQUEST_FINAL: 409,
  ASYNC_REQUEST_CANCELLED: 409,
  ASYNC_REQUEST_EXPIRED: 409,
  ASYNC_BODY_TOO_LARGE: 413,
  ASYNC_CONTENT_TYPE: 415,
  ASYNC_INTERNAL: 500,
};

/** The HTTP status of an async error code: 400 unless listed. */
export function httpStatusOf(code: string): number {
  return STATUS[code as AsyncErrorCode] ?? 400;
}

/** The JSON body of a refused request: the code, a message for people, and safe context. */
export interface RefusalBody {
  error: { code: string; message: string; context: Record<string, unknown> };
}

/** Builds the body of a refusal from an error. */
export function refusalBody(err: AsyncError): RefusalBody {
  return { error: { code: err.code, message: err.message, context: { ...err.context } } };
}

/** Sends a coded JSON refusal. */
export async function sendRefusal(reply: FastifyReply, err: AsyncError): Promise<void> {
  await reply
    .code(httpStatusOf(err.code))
    .header('content-type', 'application/json; charset=utf-8')
    .send(refusalBody(err));
}

/** Maps anything thrown in a route to the AsyncError to answer with. */
export function toAsyncError(error: unknown): AsyncError {
  if (error instanceof AsyncError) return error;
  switch ((error as FastifyError | undefined)?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AsyncError(
        'ASYNC_CONTENT_TYPE',
        'The body has a content type the route does not take.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AsyncError('ASYNC_BODY_TOO_LARGE', 'The body is larger than allowed.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AsyncError('ASYNC_JSON_MALFORMED', 'The body is not a JSON object.');
    default:
      if (internalError.hasSubscribers) internalError.publish({ error });
      return new AsyncError('ASYNC_INTERNAL', 'The request could not be handled.', {
        cause: error,
      });
  }
}
