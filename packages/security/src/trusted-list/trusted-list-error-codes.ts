// Stable error codes of EU trusted lists (ETSI TS 119 612).

/** Codes of EU trusted lists (ETSI TS 119 612): code -> meaning. */
export const TRUSTED_LIST_ERROR_CODES = {} as const;
