// Turns what Fastify throws while receiving a request into the IO-Module's coded refusals.

import { diagnosticsChannelFor } from '@interop-blocks/core';
import type { FastifyError } from 'fastify';
import { IoError } from '../errors.js';

/** `{ error }` for every unexpected error answered as `IO_INTERNAL` (for operators' logs). */
const internalError = diagnosticsChannelFor('io', 'query', 'internal-error');

/**
 * The coded refusal of a request error: IoErrors pass, Fastify's body errors get their IO code,
 * anything else is `IO_INTERNAL` (published on `interop:io:query:internal-error`).
 *
 * @param mediaType - The media type the route accepts, for the message of `IO_CONTENT_TYPE`.
 */
export function toIoError(error: FastifyError, mediaType: string): IoError {
  if (error instanceof IoError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new IoError('IO_CONTENT_TYPE', `Queries are sent as ${mediaType}.`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new IoError('IO_BODY_TOO_LARGE', 'The body is larger than allowed.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new IoError('IO_JSON_MALFORMED', 'The body is not a JSON object.');
    default:
      if (internalError.hasSubscribers) internalError.publish({ error });
      return new IoError('IO_INTERNAL', 'The request could not be answered.', { cause: error });
  }
}
