// Builds the outcomes connectors report: failures with a coded reason and a retry verdict.

import type { TrayErrorCode } from '../errors.js';
import type { Enquiry, RawOutcome } from './connector.js';

/** A failure before or instead of an answer: its code, a message for people, and retry verdict. */
export interface Failure {
  code: TrayErrorCode | string;
  message: string;
  retryable: boolean;
}

const REASON_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;

/** The failed outcome of one enquiry. */
export function failedOutcome(requestId: string, failure: Failure): RawOutcome {
  return {
    requestId,
    status: 'failed',
    reason: { code: failure.code, message: failure.message.slice(0, 500) },
    retryable: failure.retryable,
  };
}

/** The same failure for every enquiry of a batch. */
export function failAll(batch: readonly Enquiry[], failure: Failure): RawOutcome[] {
  return batch.map((enquiry) => failedOutcome(enquiry.requestId, failure));
}

/** A failure that no retry can mend. */
export function permanent(code: TrayErrorCode, message: string): Failure {
  return { code, message, retryable: false };
}

/**
 * The failure an HTTP status stands for, using the source's own code when it sent a valid one:
 * 408 and 429 and 5xx may pass with time (retryable), other 4xx will not, and anything else
 * (1xx, 3xx: redirects are never followed) is not what the protocol prescribes.
 */
export function failureOfStatus(status: number, sourceCode?: unknown, message?: unknown): Failure {
  const own = typeof sourceCode === 'string' && REASON_CODE.test(sourceCode) ? sourceCode : null;
  const text = typeof message === 'string' && message !== '' ? message : `HTTP status ${status}.`;
  if (status === 408) return { code: own ?? 'TRAY_SOURCE_TIMEOUT', message: text, retryable: true };
  if (status === 429) {
    return { code: own ?? 'TRAY_SOURCE_THROTTLED', message: text, retryable: true };
  }
  if (status >= 500 && status <= 599) {
    return { code: own ?? 'TRAY_SOURCE_ERROR', message: text, retryable: true };
  }
  if (status >= 400 && status <= 499) {
    return { code: own ?? 'TRAY_SOURCE_REFUSED', message: text, retryable: false };
  }
  return permanent('TRAY_ANSWER_MALFORMED', `Unexpected HTTP status ${status}.`);
}

/** Reads `{ error: { code, message } }` or `{ code, message }` from a refusal body, if any. */
export function refusalOf(body: Buffer): { code?: unknown; message?: unknown } {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    const record = parsed as Record<string, unknown>;
    const inner = record.error;
    if (typeof inner === 'object' && inner !== null) return inner as Record<string, unknown>;
    return record;
  } catch {
    return {};
  }
}

/** Groups enquiries that may share one request: the same justification, period and date. */
export function groupByJustification(batch: readonly Enquiry[]): Enquiry[][] {
  const groups = new Map<string, Enquiry[]>();
  for (const enquiry of batch) {
    const key = JSON.stringify([
      enquiry.purpose,
      enquiry.legalBasis,
      enquiry.case,
      enquiry.organisation,
      enquiry.official,
      enquiry.period?.from,
      enquiry.period?.to,
      enquiry.referenceDate,
    ]);
    groups.set(key, [...(groups.get(key) ?? []), enquiry]);
  }
  return [...groups.values()];
}
