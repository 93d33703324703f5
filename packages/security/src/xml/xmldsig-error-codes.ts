// Stable error codes of XML parsing and XML-DSig.

/** Codes of XML parsing and XML-DSig: code -> meaning. */
export const XMLDSIG_ERROR_CODES = {} as const;
