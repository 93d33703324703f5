// Stable error codes of the tamper-evident trail.

/** Codes of the trail: code -> meaning. */
export const TRAIL_ERROR_CODES = {
  TRAIL_CONFIG_INVALID:
    'The trail options are wrong: name, key sizes or ids, batch or checkpoint limits, signer.',
  TRAIL_RECORD_INVALID: 'An appended record is malformed (missing action or principal, bad field).',
  TRAIL_CLOSED: 'The trail was used after close().',
  TRAIL_APPEND_ABORTED: 'An append was aborted by its signal before the record was written.',
  TRAIL_APPEND_FAILED:
    'The transaction writing a batch failed; no record of that batch was stored.',
  TRAIL_SIGNER_FAILED: 'The signer failed or its certificate does not match the algorithm.',
  TRAIL_KEY_UNAVAILABLE: 'A data key cannot be unwrapped: its master key is not configured.',
  TRAIL_QUERY_INVALID: 'A query has no criterion, a bad period, limit or cursor.',
  TRAIL_BUNDLE_INVALID: 'An export bundle cannot be read: not a bundle, wrong version, bad line.',
} as const;
