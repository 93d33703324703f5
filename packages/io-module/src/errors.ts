// The error class of @interop-blocks/io-module and its table of stable codes.

import { InteropError, type InteropErrorOptions } from '@interop-blocks/core';

/**
 * Every code thrown by `@interop-blocks/io-module`, with what it means. The README table is
 * checked against this object by a test.
 */
export const IO_ERROR_CODES = {
  IO_DATASET_INVALID:
    'A dataset declaration does not match its schema, or its record schema does not compile.',
  IO_DATASET_UNKNOWN_FIELD:
    'A purpose or subject key names a field the record schema does not declare.',
  IO_DATASET_DUPLICATE: 'Two dataset declarations have the same id.',
  IO_DATASET_UNKNOWN: 'A dataset id is not declared.',
  IO_LOAD_INVALID_RECORD:
    'A record of a load failed validation and the load was set to fail on it.',
  IO_LOAD_INPUT_INVALID:
    'The load input is not readable as the declared format (e.g. a CSV header is wrong).',
  IO_LOAD_ABORTED:
    'A load or change set was aborted by its signal; the live version did not change.',
  IO_VERSION_NONE: 'The dataset has no live version yet, or none as of the reference date asked.',
  IO_VERSION_UNKNOWN: 'A version named by the caller does not exist or has been purged.',
  IO_CHANGE_INVALID: 'An entry of a change set is malformed.',
  IO_BATCH_TOO_LARGE: 'A lookup asked for more subjects than the configured batch limit.',
} as const;

/** A stable error code of `@interop-blocks/io-module`. */
export type IoErrorCode = keyof typeof IO_ERROR_CODES;

/** An error thrown by `@interop-blocks/io-module`; see {@link IO_ERROR_CODES}. */
export class IoError extends InteropError {
  declare readonly code: IoErrorCode;

  constructor(code: IoErrorCode, message: string, options?: InteropErrorOptions) {
    super(code, message, options);
  }
}
