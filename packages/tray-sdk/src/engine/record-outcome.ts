// Turns a connector's raw outcome into a recorded answer: normalise, retry or record once, trail.

import type { Reason } from '@interop-blocks/core';
import type { Source } from '../catalogue/define-catalogue.js';
import type { Evidence, RawOutcome } from '../connectors/connector.js';
import { backoffDelay } from './backoff.js';
import { enquiryEnd } from './channels.js';
import type { EngineContext } from './engine-context.js';
import {
  markTrailed,
  markWaiting,
  recordFinal,
  reschedule,
  type FinalFields,
} from './enquiry-rows.js';
import { normaliseAnswer } from './normalise-answer.js';
import type { EnquiryRow } from './tables.js';
import { answerRecord } from './trail-records.js';

/** How an attempt ended for one enquiry, after the Tray's own checks. */
export type AttemptResult = 'final' | 'retry' | 'waiting' | 'lost';

/**
 * Applies one outcome to a leased enquiry. Answers that fit are recorded once; answers that do not
 * fit are `failed` with `TRAY_ANSWER_INVALID`; retryable failures go back to the queue with
 * backoff while attempts and time remain; `waiting` marks the enquiry for later collection.
 * Returns `lost` when another attempt or process recorded the enquiry first.
 */
export async function applyOutcome(
  ctx: EngineContext,
  source: Source,
  row: EnquiryRow,
  outcome: RawOutcome,
  options: { leased: boolean },
): Promise<AttemptResult> {
  const now = ctx.clock.now();

  if (outcome.status === 'waiting') {
    const until = Math.min(Date.parse(outcome.deadline) || row.deadline, row.deadline);
    const ok = options.leased && (await markWaiting(ctx.db, row, ctx.workerId, until));
    if (ok) emitEnd(ctx, row, 'waiting', now);
    return ok ? 'waiting' : 'lost';
  }

  if (outcome.status === 'failed' && outcome.retryable && options.leased) {
    const delay = backoffDelay(row.attempts, source.limits);
    const attemptsLeft = row.attempts < 1 + source.limits.retries;
    if (attemptsLeft && now + delay < row.deadline) {
      const ok = await reschedule(ctx.db, row, ctx.workerId, now + delay, outcome.reason.code);
      if (ok) emitEnd(ctx, row, 'retrying', now, outcome.reason.code);
      return ok ? 'retry' : 'lost';
    }
  }

  const fields = finalFields(source, outcome);
  return recordAnswer(ctx, row, fields, outcome.status === 'failed' ? undefined : outcome);
}

/** Records a final answer once, then trails it, tells listeners and advances the case. */
export async function recordAnswer(
  ctx: EngineContext,
  row: EnquiryRow,
  fields: FinalFields,
  answer?: { evidence?: Evidence; version?: string },
): Promise<AttemptResult> {
  const now = ctx.clock.now();
  // The case does not finish in this process while an answer of it is recorded and trailed.
  ctx.trailing.set(row.case_id, (ctx.trailing.get(row.case_id) ?? 0) + 1);
  try {
    if (!(await recordFinal(ctx.db, row, fields, now, ctx.workerId))) return 'lost';
    await announce(ctx, row, fields, now, answer);
  } finally {
    const left = (ctx.trailing.get(row.case_id) ?? 1) - 1;
    if (left === 0) ctx.trailing.delete(row.case_id);
    else ctx.trailing.set(row.case_id, left);
  }
  ctx.advance(row.case_id);
  return 'final';
}

async function announce(
  ctx: EngineContext,
  row: EnquiryRow,
  fields: FinalFields,
  now: number,
  answer: { evidence?: Evidence; version?: string } | undefined,
): Promise<void> {
  emitEnd(ctx, row, fields.status, now, fields.reasonCode);
  ctx.emit({
    type: 'enquiry',
    caseId: row.case_id,
    requestId: row.request_id,
    step: row.step_id,
    source: row.source,
    status: fields.status,
    attempt: row.attempts,
    reason: fields.reasonCode,
  });

  await trailAnswer(ctx, row, {
    status: fields.status,
    reasonCode: fields.reasonCode,
    evidence: answer?.evidence,
    version: answer?.version,
  });
}

/**
 * Appends the answer record of a final enquiry, then marks it trailed. A crash between the two
 * appends the record again on restart (see {@link retrailAnswers}); a crash before the append
 * leaves it for that sweep, so that no recorded answer stays out of the trail.
 */
export async function trailAnswer(
  ctx: EngineContext,
  row: EnquiryRow,
  answer: Parameters<typeof answerRecord>[3],
): Promise<void> {
  const caseRow = await ctx.caseRow(row.case_id);
  if (!caseRow) return;
  await ctx.trail.append(answerRecord(ctx.organisation, caseRow, row, answer));
  await markTrailed(ctx.db, row.request_id);
}

function finalFields(
  source: Source,
  outcome: Exclude<RawOutcome, { status: 'waiting' }>,
): FinalFields {
  switch (outcome.status) {
    case 'found': {
      const normalised = normaliseAnswer(source, outcome.data);
      if (!normalised.ok) return { status: 'failed', reasonCode: 'TRAY_ANSWER_INVALID' };
      return {
        status: 'found',
        payload: JSON.stringify(normalised.records),
        dataVersion: outcome.version,
        evidence: evidenceText(outcome.evidence),
      };
    }
    case 'not_found':
      return {
        status: 'not_found',
        dataVersion: outcome.version,
        evidence: evidenceText(outcome.evidence),
      };
    case 'refused':
      return {
        status: 'refused',
        reasonCode: reasonCode(outcome.reason),
        evidence: evidenceText(outcome.evidence),
      };
    case 'failed':
      return { status: 'failed', reasonCode: reasonCode(outcome.reason) };
  }
}

function reasonCode(reason: Reason): string {
  return /^[A-Z][A-Z0-9_]{2,63}$/.test(reason?.code ?? '') ? reason.code : 'TRAY_ANSWER_INVALID';
}

function evidenceText(evidence: Evidence | undefined): string | undefined {
  return evidence ? JSON.stringify(evidence) : undefined;
}

function emitEnd(
  ctx: EngineContext,
  row: EnquiryRow,
  status: string,
  now: number,
  reason?: string,
): void {
  if (!enquiryEnd.hasSubscribers) return;
  enquiryEnd.publish({
    source: row.source,
    requestId: row.request_id,
    status,
    attempt: row.attempts,
    ms: row.first_sent_at === null ? 0 : now - row.first_sent_at,
    ...(reason ? { reason } : {}),
  });
}
