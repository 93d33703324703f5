// Stable error codes of the development PKI.

/** Codes of the development PKI: code -> meaning. */
export const DEV_PKI_ERROR_CODES = {} as const;
