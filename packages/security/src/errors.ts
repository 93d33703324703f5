// The error class of @interop-blocks/security; each concern keeps its codes in its own folder.

import { InteropError, type InteropErrorOptions } from '@interop-blocks/core';
import { PKI_ERROR_CODES } from './pki/pki-error-codes.js';
import { XMLDSIG_ERROR_CODES } from './xml/xmldsig-error-codes.js';
import { JWS_ERROR_CODES } from './jws/jws-error-codes.js';
import { TLS_ERROR_CODES } from './tls/tls-error-codes.js';
import { QUALIFIED_ERROR_CODES } from './qualified/qualified-error-codes.js';
import { TRUSTED_LIST_ERROR_CODES } from './trusted-list/trusted-list-error-codes.js';
import { DEV_PKI_ERROR_CODES } from './dev-pki/dev-pki-error-codes.js';
import { TRAIL_ERROR_CODES } from './trail/trail-error-codes.js';
import { RIGHTS_ERROR_CODES } from './rights/rights-error-codes.js';

/**
 * Every code thrown by `@interop-blocks/security`, with what it means. The README tables are
 * checked against this object by a test.
 */
export const SECURITY_ERROR_CODES = {
  ...PKI_ERROR_CODES,
  ...XMLDSIG_ERROR_CODES,
  ...JWS_ERROR_CODES,
  ...TLS_ERROR_CODES,
  ...QUALIFIED_ERROR_CODES,
  ...TRUSTED_LIST_ERROR_CODES,
  ...DEV_PKI_ERROR_CODES,
  ...TRAIL_ERROR_CODES,
  ...RIGHTS_ERROR_CODES,
} as const;

/** A stable error code of `@interop-blocks/security`. */
export type SecurityErrorCode = keyof typeof SECURITY_ERROR_CODES;

/** An error thrown by `@interop-blocks/security`; see {@link SECURITY_ERROR_CODES}. */
export class SecurityError extends InteropError {
  declare readonly code: SecurityErrorCode;

  constructor(code: SecurityErrorCode, message: string, options?: InteropErrorOptions) {
    super(code, message, options);
  }
}
