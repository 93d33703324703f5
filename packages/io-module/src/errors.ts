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
  IO_CLIENT_UNAUTHENTICATED:
    'The client certificate is missing, untrusted, expired, revoked or unregistered.',
  IO_CONTENT_TYPE: 'A query was not sent as application/json (JSON) or text/xml (SOAP 1.1).',
  IO_BODY_TOO_LARGE: 'A request body exceeds the configured limit.',
  IO_JSON_MALFORMED: 'A request body is not well-formed JSON.',
  IO_XML_MALFORMED: 'A SOAP request is not well-formed UTF-8 XML, or not a SOAP 1.1 envelope.',
  IO_XML_FORBIDDEN:
    'A SOAP request has a DOCTYPE (entities), a processing instruction, or nests too deep.',
  IO_SOAP_MUST_UNDERSTAND:
    'A SOAP header entry marked mustUnderstand="1" is not one the service understands.',
  IO_SIGNATURE_MISSING: 'A query carries no JWS signature header, or no WS-Security signature.',
  IO_SIGNATURE_INVALID:
    'A query signature does not verify (context.jwsCode or context.xmlCode says why).',
  IO_SIGNER_MISMATCH:
    'The query was signed by another organisation than the one connected, or by none known.',
  IO_ENVELOPE_INVALID: 'A query does not match the batch query schema.',
  IO_JUSTIFICATION_MISSING:
    'A query lacks its purpose, legal basis, case, organisation or official.',
  IO_SOURCE_MISMATCH: 'The source named in a query is not the dataset of its URL.',
  IO_ORGANISATION_MISMATCH: 'The organisation named in a query is not the one connected.',
  IO_SUBJECT_INVALID: 'A subject identifier of a query is invalid (its position in context.index).',
  IO_RATE_LIMITED: 'The consumer exceeded its rate limit; retry after the time given.',
  IO_PURPOSE_NOT_SERVED: 'The dataset declares no fields for the purpose asked (an answer reason).',
  IO_INTERNAL: 'An unexpected error; the request changed nothing and may be retried.',
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
