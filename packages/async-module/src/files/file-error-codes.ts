// Error codes of signed XML batch files.

/** Codes of XML batch files, with what they mean. */
export const FILE_ERROR_CODES = {
  ASYNC_FILE_MALFORMED: 'A batch file is not well-formed XML (line and column in context).',
  ASYNC_FILE_INVALID:
    'A batch file does not follow the XSD (element, line and column in context); nothing changed.',
  ASYNC_FILE_DUPLICATE_ID: 'A request id appears twice in one batch file (line in context).',
  ASYNC_FILE_SIGNATURE_INVALID:
    'The XML-DSig signature of a batch file is missing or does not verify (XML_* code in context).',
  ASYNC_FILE_SIGNER_MISMATCH:
    'A batch file was signed by another organisation than the room owner.',
  ASYNC_FILE_ROOM_MISMATCH: 'A batch file names another room than the one it was uploaded to.',
} as const;
