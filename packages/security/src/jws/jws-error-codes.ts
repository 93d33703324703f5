// Stable error codes of JSON Web Signatures.

/** Codes of JSON Web Signatures: code -> meaning. */
export const JWS_ERROR_CODES = {
  JWS_MALFORMED: 'The signature is not a detached compact JWS (parts, base64url or JSON).',
  JWS_HEADER_INVALID:
    'The protected header lacks, mistypes or adds parameters (typ, rid, iat, rqh, crit, b64).',
  JWS_ALGORITHM_FORBIDDEN: 'The algorithm is not ES256, PS256 or RS256, or not allowed here.',
  JWS_KEY_MISMATCH:
    'The key does not fit the algorithm, is too small, or does not belong to the certificate.',
  JWS_CERT_MISSING: 'The protected header carries no signer certificate chain (x5c).',
  JWS_CERT_UNTRUSTED:
    'The x5c chain does not lead to a configured trust anchor or fails validation.',
  JWS_CERT_EXPIRED: 'A certificate of the x5c chain is expired or not yet valid.',
  JWS_CERT_REVOKED: 'A certificate of the x5c chain is revoked.',
  JWS_REVOCATION_UNKNOWN: 'The revocation status of the x5c chain cannot be determined.',
  JWS_CERT_KEY_USAGE: 'The signer certificate is not meant for signing (key usage or EKU).',
  JWS_SIGNATURE_INVALID: 'The signature does not match the body bytes and protected header.',
  JWS_REQUEST_ID_MISMATCH: 'The signed request id differs from the request id of the message.',
  JWS_REQUEST_HASH_MISMATCH:
    'An answer is not bound to the request: its request hash is missing or differs.',
  JWS_TIME_INVALID: 'The signing time (iat) is in the future or older than the allowed age.',
  JWS_PRINCIPAL_UNKNOWN: 'The signer certificate is valid but maps to no registered principal.',
} as const;
