// Stable error codes of certificate parsing and path validation (RFC 5280).

/** Codes of certificate parsing and path validation: code -> meaning. */
export const PKI_ERROR_CODES = {
  PKI_PEM_MALFORMED: 'PEM text has no block, or a block is not valid base64.',
  PKI_WRONG_TYPE: 'The input is another kind of object than the one expected (e.g. a CRL, a key).',
  PKI_CERT_MALFORMED: 'A certificate cannot be parsed (garbage or truncated DER).',
  PKI_CRL_MALFORMED: 'A CRL cannot be parsed (garbage, truncated DER, malformed extension).',
  PKI_PATH_UNTRUSTED: 'No certification path from the certificate to a configured trust anchor.',
  PKI_SIGNATURE_INVALID: 'A certificate signature does not verify with its issuer key.',
  PKI_ALGORITHM_UNSUPPORTED: 'A signature or key algorithm is unsupported or refused (DSA, SHA-1).',
  PKI_CERT_EXPIRED: 'A certificate of the path is past its notAfter at the validation time.',
  PKI_CERT_NOT_YET_VALID:
    'A certificate of the path is before its notBefore at the validation time.',
  PKI_NAME_CHAINING:
    'A certificate issuer name does not match the subject of the next certificate.',
  PKI_BASIC_CONSTRAINTS:
    'An issuing certificate is not a CA (basicConstraints missing or cA false).',
  PKI_PATH_LENGTH: 'The path is longer than a pathLenConstraint allows.',
  PKI_KEY_USAGE: 'A key usage forbids the use (keyCertSign, or a usage required of the leaf).',
  PKI_EXTENDED_KEY_USAGE: 'The leaf certificate lacks a required extended key usage.',
  PKI_POLICY: 'No acceptable certificate policy for the path (RFC 5280 6.1 policy processing).',
  PKI_NAME_CONSTRAINTS: 'A name in the path violates the name constraints of an issuing CA.',
  PKI_UNKNOWN_CRITICAL_EXTENSION:
    'A certificate has a critical extension the validator does not process.',
  PKI_CERT_REVOKED: 'A certificate of the path is revoked.',
  PKI_REVOCATION_UNKNOWN: 'Revocation status is required and could not be determined.',
  PKI_CRL_INVALID: 'A CRL cannot be used: bad signature, wrong issuer, stale, or out of scope.',
  PKI_CRL_FETCH_FAILED: 'A CRL could not be fetched from its distribution point.',
  PKI_VALIDATION_ABORTED: 'The validation was aborted through its AbortSignal.',
  // OCSP (RFC 6960), src/pki/ocsp/ -- kept by the OCSP and trusted-lists helper.
  PKI_OCSP_NO_RESPONDER: 'The certificate names no OCSP responder and none is configured.',
  PKI_OCSP_UNAVAILABLE:
    'The OCSP responder cannot be reached or cannot answer now (network, timeout, HTTP, size).',
  PKI_OCSP_REFUSED:
    'The OCSP responder refused the request (malformedRequest, unauthorized, sigRequired).',
  PKI_OCSP_RESPONSE_INVALID:
    'An OCSP response is malformed, badly signed, about another certificate, or has a wrong nonce.',
  PKI_OCSP_SIGNER_UNAUTHORISED:
    'An OCSP response is signed by neither the issuing CA nor a responder it delegated to.',
  PKI_OCSP_STALE: 'An OCSP response is past its nextUpdate, or older than the freshness limit.',
  PKI_OCSP_RESPONDER_CONFIG:
    'The test OCSP responder was given a key it cannot sign with, or not its own.',
} as const;
