// Hands a finished case to the enquirer: answers grouped by subject and source; then drops
// payloads.

import type { Reason } from '@interop-blocks/core';
import type { Evidence } from '../connectors/connector.js';
import { TrayError } from '../errors.js';
import { dropPayloads, findCase, stepsOf } from './case-rows.js';
import type { EngineContext } from './engine-context.js';
import { enquiriesOfCase } from './enquiry-rows.js';
import type { CaseRow, EnquiryRow, FinalEnquiryStatus, TrayDb } from './tables.js';
import type { CaseView, CollectedAnswer, CollectedCase, CollectedSubject } from './types.js';

/**
 * Reads every answer of a finished (or cancelled) case and deletes the payloads in the same
 * transaction, so that they are handed out once; afterwards only metadata stays.
 *
 * @throws TrayError `TRAY_CASE_NOT_FOUND`, `TRAY_CASE_NOT_FINISHED`, `TRAY_ABORTED`.
 */
export async function collectCase(
  ctx: EngineContext,
  caseId: string,
  signal?: AbortSignal,
): Promise<CollectedCase> {
  return ctx.store.transaction<TrayDb, CollectedCase>(
    async (trx) => {
      const row = await findCase(trx, caseId);
      if (!row)
        throw new TrayError('TRAY_CASE_NOT_FOUND', 'No such case.', { context: { caseId } });
      if (row.status === 'open') {
        throw new TrayError('TRAY_CASE_NOT_FINISHED', 'The case is still gathering.', {
          context: { caseId },
        });
      }
      const enquiries = await enquiriesOfCase(trx, caseId);
      const order = ctx.processes.get(row.purpose)?.steps.map((s) => s.id) ?? [];
      const steps = (await stepsOf(trx, caseId)).sort(
        (a, b) => order.indexOf(a.step_id) - order.indexOf(b.step_id),
      );
      const alreadyCollected = row.collected_at !== null;
      if (!alreadyCollected) await dropPayloads(trx, caseId, ctx.clock.now());

      return {
        case: caseView(row),
        subjects: groupBySubject(enquiries),
        steps: steps.map((s) => ({
          id: s.step_id,
          status: s.status,
          enquiries: Number(s.enquiries),
          ...(s.reason_code ? { reason: s.reason_code } : {}),
        })),
        alreadyCollected,
      };
    },
    { signal },
  );
}

/** The stored case as the enquirer sees it. */
export function caseView(row: CaseRow): CaseView {
  return {
    id: row.id,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    caseReference: row.case_ref,
    organisation: row.organisation,
    official: row.official,
    applicationDate: row.application_date,
    deadline: Number(row.deadline),
    status: row.status,
    createdAt: Number(row.created_at),
    ...(row.finished_at === null ? {} : { finishedAt: Number(row.finished_at) }),
  };
}

function groupBySubject(enquiries: EnquiryRow[]): CollectedSubject[] {
  const subjects = new Map<string, CollectedSubject>();
  for (const e of enquiries) {
    const key = `${e.subject_scheme}\u0000${e.subject_id}`;
    let entry = subjects.get(key);
    if (!entry) {
      entry = { subject: { scheme: e.subject_scheme, id: e.subject_id }, answers: [] };
      subjects.set(key, entry);
    }
    entry.answers.push(answerOf(e));
  }
  return [...subjects.values()];
}

function answerOf(e: EnquiryRow): CollectedAnswer {
  return {
    requestId: e.request_id,
    step: e.step_id,
    source: e.source,
    status: e.status as FinalEnquiryStatus,
    ...(e.payload ? { records: JSON.parse(e.payload) as unknown[] } : {}),
    ...(e.data_version ? { version: e.data_version } : {}),
    ...(e.evidence ? { evidence: JSON.parse(e.evidence) as Evidence } : {}),
    ...(e.reason_code && e.status !== 'found' && e.status !== 'not_found'
      ? { reason: { code: e.reason_code } satisfies Reason }
      : {}),
    ...(e.period_from && e.period_to ? { period: { from: e.period_from, to: e.period_to } } : {}),
    ...(e.reference_date ? { referenceDate: e.reference_date } : {}),
    attempts: Number(e.attempts),
    ...(e.ms === null ? {} : { ms: Number(e.ms) }),
  };
}
