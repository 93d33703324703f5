// Stable error codes of the development PKI.

/** Codes of the development PKI: code -> meaning. */
export const DEV_PKI_ERROR_CODES = {
  DEVPKI_OPTIONS_INVALID:
    'The options of the development PKI are inconsistent (bad name, duplicate, bad date, address).',
  DEVPKI_NAME_UNKNOWN: 'A certificate named for revocation or as a seal owner was not issued.',
  DEVPKI_ISSUE_FAILED: 'Key generation, signing or encoding of a development certificate failed.',
  DEVPKI_TARGET_NOT_EMPTY: 'The target folder is not empty and overwriting was not asked for.',
  DEVPKI_WRITE_FAILED: 'The PEM files of the development PKI could not be written.',
} as const;
