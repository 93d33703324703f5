// Stable error codes of certificate parsing and path validation (RFC 5280).

/** Codes of certificate parsing and path validation (RFC 5280): code -> meaning. */
export const PKI_ERROR_CODES = {} as const;
