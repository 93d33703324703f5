// Reads an OCSPResponse (RFC 6960 4.2.1) down to its BasicOCSPResponse, mapping error statuses.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../../errors.js';
import { OID_OCSP_BASIC } from './ocsp-oids.js';

/** RFC 6960 4.2.1 OCSPResponseStatus values that are not `successful`. */
const RESPONSE_STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

/**
 * Parses the DER of an OCSPResponse and returns its BasicOCSPResponse.
 *
 * @throws SecurityError `PKI_OCSP_RESPONSE_INVALID` (not DER, not an OCSPResponse, not the basic
 *   type), `PKI_OCSP_UNAVAILABLE` (internalError, tryLater), `PKI_OCSP_REFUSED`
 *   (malformedRequest, sigRequired, unauthorized).
 */
export function parseOcspResponse(der: Uint8Array): pkijs.BasicOCSPResponse {
  const response = decode(der, (schema) => new pkijs.OCSPResponse({ schema }), 'OCSPResponse');

  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) {
    const name = RESPONSE_STATUS_NAMES[status] ?? 'unknown';
    const context = { responseStatus: name };
    if (status === 2 || status === 3) {
      throw new SecurityError('PKI_OCSP_UNAVAILABLE', 'The OCSP responder cannot answer now.', {
        context,
      });
    }
    throw new SecurityError('PKI_OCSP_REFUSED', 'The OCSP responder refused the request.', {
      context,
    });
  }

  // RFC 6960 4.2.1: a successful response carries responseBytes; only id-pkix-ocsp-basic is known.
  const bytes = response.responseBytes;
  if (!bytes || bytes.responseType !== OID_OCSP_BASIC) {
    throw invalid('The OCSP response is not a basic OCSP response.', 'response-type');
  }
  return decode(
    bytes.response.valueBlock.valueHexView,
    (schema) => new pkijs.BasicOCSPResponse({ schema }),
    'BasicOCSPResponse',
  );
}

function decode<T>(der: Uint8Array, make: (schema: asn1js.AsnType) => T, what: string): T {
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1 || asn1.offset !== der.byteLength) {
    throw invalid(`The ${what} is not valid DER.`, 'encoding');
  }
  try {
    return make(asn1.result);
  } catch (cause) {
    throw invalid(`The ${what} does not have the expected structure.`, 'structure', cause);
  }
}

function invalid(message: string, reason: string, cause?: unknown): SecurityError {
  return new SecurityError('PKI_OCSP_RESPONSE_INVALID', message, { context: { reason }, cause });
}
