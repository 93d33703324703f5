// Records a decision of authorize() in the trail, with the five facts as far as they were given.

import { SecurityError } from '../errors.js';
import type { TrailAppender, TrailRecordInput } from '../trail/types.js';
import type { AuthorizationDecision, AuthorizeRequest } from './types.js';

const MAX_TEXT = 1000;

/**
 * Appends the `authorize` record of a decision. Facts that are missing or not text are left out,
 * so that a refused malformed request is recorded too.
 *
 * @throws SecurityError `RIGHTS_TRAIL_FAILED` (the trail's error is the cause).
 */
export async function trailDecision(
  trail: TrailAppender,
  request: AuthorizeRequest,
  decision: AuthorizationDecision,
  cached: boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  const r = (typeof request === 'object' && request !== null ? request : {}) as AuthorizeRequest;
  const record: TrailRecordInput = {
    action: 'authorize',
    principal: text(r.principal) ?? 'unidentified',
    official: text(r.official),
    source: text(r.source),
    purpose: text(r.purpose),
    legalBasis: text(r.legalBasis),
    case: text(r.case),
    decision: decision.allowed ? 'allowed' : 'refused',
    reasonCode: decision.reason.code,
    details: {
      requestedAction: text(r.action) ?? null,
      rightIds: decision.rightIds.join(',').slice(0, MAX_TEXT),
      fields: (decision.fields === '*' ? '*' : decision.fields.join(',')).slice(0, MAX_TEXT),
      cached,
    },
  };

  try {
    await trail.append(record, { signal });
  } catch (cause) {
    throw new SecurityError('RIGHTS_TRAIL_FAILED', 'The decision could not be trailed.', {
      context: { reasonCode: decision.reason.code },
      cause,
    });
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_TEXT
    ? value
    : undefined;
}
