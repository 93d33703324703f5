// The error class of @interop-blocks/core and its table of stable codes.

import { InteropError, type InteropErrorOptions } from './interop-error.js';

/**
 * Every code thrown by `@interop-blocks/core`, with what it means. The README table is checked
 * against this object by a test.
 */
export const CORE_ERROR_CODES = {
  CORE_IDENTIFIER_FORMAT: 'An identifier has the wrong length or characters for its scheme.',
  CORE_IDENTIFIER_CHECK_DIGIT: 'An identifier has a wrong check digit.',
  CORE_IDENTIFIER_BIRTH_DATE: 'A personal number encodes an impossible or future birth date.',
  CORE_IDENTIFIER_REGISTER: 'A personal number has a register code the caller does not accept.',
  CORE_IDENTIFIER_SCHEME_UNKNOWN: 'A subject names an identifier scheme that is not registered.',
  CORE_IDENTIFIER_SCHEME_DUPLICATE: 'An identifier scheme is registered twice.',
  CORE_ENVELOPE_INVALID: 'A query or answer envelope does not match its JSON Schema.',
  CORE_STORE_URL_INVALID: 'A store URL is malformed or names an unsupported backend.',
  CORE_STORE_UNREACHABLE: 'The database of a store could not be opened or reached.',
  CORE_STORE_CLOSED: 'A store was used after it was closed.',
  CORE_STORE_IDENTIFIER_INVALID:
    'A table or column name given to a bulk insert is not a plain identifier.',
  CORE_STORE_NOT_IN_TRANSACTION:
    'A bulk insert was given a connection that is not the open transaction.',
  CORE_MIGRATION_INVALID: 'A migration list is malformed (gaps, duplicates, bad namespace).',
  CORE_MIGRATION_CONFLICT: 'The database holds migrations that this code does not know.',
  CORE_MIGRATION_FAILED: 'A migration raised an error; its transaction was rolled back.',
  CORE_CHANNEL_NAME_INVALID: 'A diagnostics channel name does not follow the naming scheme.',
} as const;

/** A stable error code of `@interop-blocks/core`. */
export type CoreErrorCode = keyof typeof CORE_ERROR_CODES;

/** An error thrown by `@interop-blocks/core`; see {@link CORE_ERROR_CODES}. */
export class CoreError extends InteropError {
  declare readonly code: CoreErrorCode;

  constructor(code: CoreErrorCode, message: string, options?: InteropErrorOptions) {
    super(code, message, options);
  }
}
