// Sorts a path validation failure (a PKI_* SecurityError) into the few kinds callers act on.

import { InteropError } from '@interop-blocks/core';

/** Why a chain was refused, as far as a caller of mutual TLS or JWS needs to know. */
export type PathFailureKind =
  'untrusted' | 'expired' | 'revoked' | 'revocation-unknown' | 'key-usage';

// Codes of src/pki/pki-error-codes.ts that callers act on differently; all others (no path,
// bad signature, constraints, policies, malformed input) mean an untrusted chain.
const KINDS: Readonly<Record<string, PathFailureKind>> = {
  PKI_CERT_EXPIRED: 'expired',
  PKI_CERT_NOT_YET_VALID: 'expired',
  PKI_CERT_REVOKED: 'revoked',
  PKI_REVOCATION_UNKNOWN: 'revocation-unknown',
  PKI_CRL_INVALID: 'revocation-unknown',
  PKI_CRL_FETCH_FAILED: 'revocation-unknown',
  PKI_OCSP_NO_RESPONDER: 'revocation-unknown',
  PKI_OCSP_UNAVAILABLE: 'revocation-unknown',
  PKI_OCSP_REFUSED: 'revocation-unknown',
  PKI_OCSP_RESPONSE_INVALID: 'revocation-unknown',
  PKI_OCSP_SIGNER_UNAUTHORISED: 'revocation-unknown',
  PKI_OCSP_STALE: 'revocation-unknown',
  PKI_KEY_USAGE: 'key-usage',
  PKI_EXTENDED_KEY_USAGE: 'key-usage',
};

/**
 * The kind of a path validation failure; anything that is not an expiry, a revocation, an
 * unknown revocation status or a key usage problem is an untrusted chain.
 */
export function classifyPathFailure(error: unknown): PathFailureKind {
  if (!InteropError.is(error)) return 'untrusted';
  return KINDS[error.code] ?? 'untrusted';
}

/** The PKI code of a failure, for error context; `undefined` for foreign errors. */
export function pathFailureCode(error: unknown): string | undefined {
  return InteropError.is(error) ? error.code : undefined;
}
