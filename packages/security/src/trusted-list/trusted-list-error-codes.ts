// Stable error codes of EU trusted lists (ETSI TS 119 612).

/** Codes of EU trusted lists (ETSI TS 119 612): code -> meaning. */
export const TRUSTED_LIST_ERROR_CODES = {
  TL_OPTIONS_INVALID: 'loadTrustedList was called without list-signer certificates.',
  TL_MALFORMED:
    'A trusted list is not well-formed XML, not a TrustServiceStatusList, or misses a field.',
  TL_SIGNATURE_MISSING: 'A trusted list has no XML-DSig signature.',
  TL_SIGNATURE_COUNT: 'A trusted list has more than one XML-DSig signature.',
  TL_SIGNATURE_INVALID: 'The signature of a trusted list does not verify (tampered or malformed).',
  TL_SIGNER_UNTRUSTED:
    'A trusted list is signed by a certificate that is not a configured list signer, or expired.',
  TL_TERRITORY_MISMATCH: 'A trusted list is of another territory than the one expected.',
  TL_STALE: 'A trusted list is past its NextUpdate, or closed (no NextUpdate).',
} as const;
