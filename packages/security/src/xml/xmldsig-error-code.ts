// The type of an XML / XML-DSig error code.

import type { XMLDSIG_ERROR_CODES } from './xmldsig-error-codes.js';

/** One of {@link XMLDSIG_ERROR_CODES}. */
export type XmldsigErrorCode = keyof typeof XMLDSIG_ERROR_CODES;
