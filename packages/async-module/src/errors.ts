// The error class of @interop-blocks/async-module and its table of stable codes.

import { InteropError, type InteropErrorOptions } from '@interop-blocks/core';
import { HTTP_ERROR_CODES } from './http/http-error-codes.js';
import { FILE_ERROR_CODES } from './files/file-error-codes.js';
import { CLERK_ERROR_CODES } from './clerk/clerk-error-codes.js';
import { ROOMS_ERROR_CODES } from './rooms/rooms-error-codes.js';

/**
 * Every code thrown by `@interop-blocks/async-module`, with what it means. The README table is
 * checked against this object by a test.
 */
export const ASYNC_ERROR_CODES = {
  ...ROOMS_ERROR_CODES,
  ...HTTP_ERROR_CODES,
  ...FILE_ERROR_CODES,
  ...CLERK_ERROR_CODES,
} as const;

/** A stable error code of `@interop-blocks/async-module`. */
export type AsyncErrorCode = keyof typeof ASYNC_ERROR_CODES;

/** An error thrown by `@interop-blocks/async-module`; see {@link ASYNC_ERROR_CODES}. */
export class AsyncError extends InteropError {
  declare readonly code: AsyncErrorCode;

  constructor(code: AsyncErrorCode, message: string, options?: InteropErrorOptions) {
    super(code, message, options);
  }
}
