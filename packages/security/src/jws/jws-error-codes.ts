// Stable error codes of JSON Web Signatures.

/** Codes of JSON Web Signatures: code -> meaning. */
export const JWS_ERROR_CODES = {} as const;
