// The guard clauses of authorize(): a well-formed request stating all five facts, or a refusal.

import { refused } from './evaluate-rights.js';
import { isSourceId } from './source-pattern.js';
import { checkTime, isPurposeCode } from './validate-input.js';
import { RIGHT_ACTIONS, type AuthorizationDecision, type AuthorizeRequest } from './types.js';

const PRINCIPAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MAX_TEXT = 200;

/** A request that passed the guards, with its evaluation time in epoch ms. */
export interface CheckedRequest extends AuthorizeRequest {
  timeMs: number;
}

/**
 * Checks the request in order: principal, action and source well-formed; then purpose, legal
 * basis, case and official present (each refused with its own code); then the time.
 */
export function checkRequest(
  request: AuthorizeRequest,
  now: number,
): CheckedRequest | AuthorizationDecision {
  const r = (typeof request === 'object' && request !== null ? request : {}) as AuthorizeRequest;
  if (typeof r.principal !== 'string' || !PRINCIPAL_ID.test(r.principal)) {
    return refused('RIGHTS_REQUEST_INVALID', 'The request names no well-formed principal.', []);
  }
  if (!RIGHT_ACTIONS.includes(r.action)) {
    return refused('RIGHTS_REQUEST_INVALID', 'The action is not query, answer or administer.', []);
  }
  if (!isSourceId(r.source)) {
    return refused('RIGHTS_REQUEST_INVALID', 'The source is not a well-formed source id.', []);
  }

  if (!present(r.purpose)) return refused('RIGHTS_PURPOSE_MISSING', 'No purpose is stated.', []);
  if (!isPurposeCode(r.purpose)) {
    return refused('RIGHTS_REQUEST_INVALID', 'The purpose is not a purpose code.', []);
  }
  if (!present(r.legalBasis)) {
    return refused('RIGHTS_LEGAL_BASIS_MISSING', 'No legal basis is stated.', []);
  }
  if (!present(r.case)) return refused('RIGHTS_CASE_MISSING', 'No case is named.', []);
  if (!present(r.official)) return refused('RIGHTS_OFFICIAL_MISSING', 'No official is named.', []);
  if (![r.legalBasis, r.case, r.official].every((t) => t.length <= MAX_TEXT)) {
    return refused(
      'RIGHTS_REQUEST_INVALID',
      'Legal basis, case and official are 200 characters at most.',
      [],
    );
  }

  let timeMs = now;
  if (r.time !== undefined) {
    try {
      timeMs = checkTime(r.time, 'time');
    } catch {
      return refused('RIGHTS_REQUEST_INVALID', 'The time is not a valid time.', []);
    }
  }
  return { ...r, timeMs };
}

/** True for a string with something other than white space in it. */
function present(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
