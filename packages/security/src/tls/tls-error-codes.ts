// Stable error codes of mutual TLS and peer authentication.

/** Codes of mutual TLS and peer authentication: code -> meaning. */
export const TLS_ERROR_CODES = {} as const;
