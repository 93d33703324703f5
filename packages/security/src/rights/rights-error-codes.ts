// Stable codes of principals and rights: refusal reasons of authorize() and administration errors.

/**
 * Why `authorize()` refused: each refusal reason is a code of its own. These codes are reasons
 * in decision values; the admin HTTP plugin also answers 403 with them.
 */
export const RIGHTS_REFUSAL_CODES = {
  RIGHTS_REQUEST_INVALID:
    'The request to authorize is malformed: principal, action, source id, purpose code or time.',
  RIGHTS_PURPOSE_MISSING: 'The request states no purpose.',
  RIGHTS_LEGAL_BASIS_MISSING: 'The request states no legal basis.',
  RIGHTS_CASE_MISSING: 'The request names no case.',
  RIGHTS_OFFICIAL_MISSING: 'The request names no official.',
  RIGHTS_PRINCIPAL_UNKNOWN: 'The principal is not registered (or is a role, which cannot act).',
  RIGHTS_PRINCIPAL_SUSPENDED: 'The principal is suspended.',
  RIGHTS_PRINCIPAL_REVOKED: 'The principal is revoked.',
  RIGHTS_ORGANISATION_SUSPENDED: "The principal's organisation is suspended.",
  RIGHTS_ORGANISATION_REVOKED: "The principal's organisation is revoked.",
  RIGHTS_OFFICIAL_SUSPENDED: 'The official is a registered user of the organisation, suspended.',
  RIGHTS_OFFICIAL_REVOKED: 'The official is a registered user of the organisation, revoked.',
  RIGHTS_NO_RIGHT: 'No right grants the principal this action on this source.',
  RIGHTS_PURPOSE_NOT_COVERED: 'Rights for this action and source exist, none for this purpose.',
  RIGHTS_RIGHT_NOT_YET_VALID: 'The matching right is not valid yet (validFrom in the future).',
  RIGHTS_RIGHT_EXPIRED: 'The matching right has expired (validUntil passed).',
  RIGHTS_RIGHT_SUSPENDED: 'The matching right is suspended.',
  RIGHTS_RIGHT_REVOKED: 'The matching right is revoked.',
} as const;

/** Codes thrown by the rights registry, the administration API and its HTTP plugin. */
export const RIGHTS_ADMIN_CODES = {
  RIGHTS_INPUT_INVALID: 'An administration input is malformed: id, name, purpose, field or time.',
  RIGHTS_PATTERN_INVALID: 'A source pattern breaks the pattern syntax.',
  RIGHTS_NOT_FOUND: 'No principal, right or role assignment has this id.',
  RIGHTS_DUPLICATE:
    'The id, organisation identifier, official id, certificate or assignment is already taken.',
  RIGHTS_TRANSITION_INVALID:
    'The change does not apply to the current state (e.g. resume what is not suspended).',
  RIGHTS_UNAUTHENTICATED: 'The admin HTTP request carries no identifiable principal.',
  RIGHTS_TRAIL_FAILED: 'A decision or change could not be recorded in the trail.',
} as const;

/** Every `RIGHTS_*` code: refusal reasons and administration errors, code -> meaning. */
export const RIGHTS_ERROR_CODES = { ...RIGHTS_REFUSAL_CODES, ...RIGHTS_ADMIN_CODES } as const;

/** A reason `authorize()` may give for a refusal. */
export type RightsRefusalCode = keyof typeof RIGHTS_REFUSAL_CODES;
