// Stable error codes of qualified certificates and principal mapping.

/** Codes of qualified certificates and principal mapping: code -> meaning. */
export const QUALIFIED_ERROR_CODES = {} as const;
