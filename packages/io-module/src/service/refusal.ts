// Refusals of the query service: an IoError with the HTTP status it maps to.

import { IoError, type IoErrorCode } from '../errors.js';

const STATUS: Partial<Record<IoErrorCode, number>> = {
  IO_CLIENT_UNAUTHENTICATED: 401,
  IO_SIGNATURE_MISSING: 401,
  IO_SIGNATURE_INVALID: 401,
  IO_SIGNER_MISMATCH: 403,
  IO_ORGANISATION_MISMATCH: 403,
  IO_DATASET_UNKNOWN: 404,
  IO_BODY_TOO_LARGE: 413,
  IO_BATCH_TOO_LARGE: 413,
  IO_CONTENT_TYPE: 415,
  IO_RATE_LIMITED: 429,
  IO_INTERNAL: 500,
};

/** The HTTP status of an IO error code: 400 unless listed. */
export function httpStatusOf(code: string): number {
  return STATUS[code as IoErrorCode] ?? 400;
}

/** The JSON body of a refused request: the code, a message for people, and safe context. */
export interface RefusalBody {
  error: { code: string; message: string; context: Record<string, unknown> };
}

/** Builds the body of a refusal from an error. */
export function refusalBody(err: IoError): RefusalBody {
  return { error: { code: err.code, message: err.message, context: { ...err.context } } };
}
