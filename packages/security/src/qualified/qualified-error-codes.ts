// Stable error codes of qualified certificates and principal mapping.

/** Codes of qualified certificates and principal mapping: code -> meaning. */
export const QUALIFIED_ERROR_CODES = {
  QC_STATEMENTS_MALFORMED:
    'The QcStatements extension cannot be decoded, repeats a statement or has a malformed one.',
  QC_POLICIES_MALFORMED: 'The certificatePolicies extension cannot be decoded.',
  QC_SEMANTIC_IDENTIFIER_INVALID:
    'A value is not an ETSI EN 319 412-1 semantic identifier (e.g. VATSI-12345678, PNOSI-...).',
  QC_PRINCIPAL_INVALID:
    'A principal or its registration key (identifier, issuer, serial) is malformed.',
  QC_PRINCIPAL_CONFLICT: 'A registration key is already bound to a different principal.',
  QC_PRINCIPAL_UNKNOWN:
    'No principal is registered for the certificate (by identifier or issuer + serial).',
} as const;
