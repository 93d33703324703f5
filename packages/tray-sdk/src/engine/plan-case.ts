// Plans the steps of a case whose earlier steps are final, and finishes the case when all are.

import { newId } from '@interop-blocks/core';
import type { GatheringProcess, Step } from '../process/define-process.js';
import { closeCase, findCase, insertStep, stepsOf } from './case-rows.js';
import type { EngineContext } from './engine-context.js';
import { enquiriesOfCase } from './enquiry-rows.js';
import { readMembers, selectMembers } from './members.js';
import { periodFor } from './periods.js';
import {
  FINAL_STATUSES,
  type CaseRow,
  type EnquiryRow,
  type StepRow,
  type TrayDb,
} from './tables.js';

const FINAL = new Set<string>(FINAL_STATUSES);

/**
 * Plans every step whose steps-to-wait-for are planned and final, repeatedly (a step with no
 * enquiries makes its followers ready at once), then finishes the case when every step is
 * planned and every enquiry is final. Safe to run twice or in two processes: plans are unique.
 */
export async function advanceCase(ctx: EngineContext, caseId: string): Promise<void> {
  // Read afresh: another process may have finished or cancelled the case.
  const caseRow = await findCase(ctx.db, caseId);
  if (!caseRow || caseRow.status !== 'open') return;
  const process = ctx.processes.get(caseRow.purpose);
  if (!process) return;

  for (;;) {
    const planned = new Map((await stepsOf(ctx.db, caseId)).map((s) => [s.step_id, s]));
    const enquiries = await enquiriesOfCase(ctx.db, caseId);
    const ready = process.steps.filter(
      (step) => !planned.has(step.id) && step.after.every((id) => isFinal(id, planned, enquiries)),
    );
    if (ready.length === 0) {
      await finishIfDone(ctx, caseRow, process, planned, enquiries);
      return;
    }
    for (const step of ready) await planStep(ctx, caseRow, step, enquiries);
  }
}

function isFinal(stepId: string, planned: Map<string, StepRow>, enquiries: EnquiryRow[]): boolean {
  if (!planned.has(stepId)) return false;
  return enquiries.every((e) => e.step_id !== stepId || FINAL.has(e.status));
}

async function planStep(
  ctx: EngineContext,
  c: CaseRow,
  step: Step,
  enquiries: EnquiryRow[],
): Promise<void> {
  const now = ctx.clock.now();
  const selector = step.declaration.subjects;
  let subjects = [{ scheme: c.applicant_scheme, id: c.applicant_id }];
  let skipped: string | undefined;

  if ('from' in selector) {
    const from = ctx.processes.get(c.purpose)!.step(selector.from)!;
    const answers = enquiries.filter((e) => e.step_id === from.id && e.status === 'found');
    const records = answers.flatMap((e) => (e.payload ? (JSON.parse(e.payload) as unknown[]) : []));
    if (answers.length === 0) skipped = 'TRAY_MEMBERS_UNKNOWN';
    const members = readMembers(records, from.declaration.members!);
    subjects = selectMembers(members, selector, c.application_date).map((m) => m.subject);
  }
  if (skipped) subjects = [];

  const period = periodFor(step.declaration.period, c.application_date);
  const referenceDate =
    step.declaration.referenceDate === 'application-date' ? c.application_date : null;
  const rows: EnquiryRow[] = step.sources.flatMap((source) =>
    subjects.map((subject) => ({
      request_id: newId(ctx.clock),
      case_id: c.id,
      step_id: step.id,
      source,
      subject_scheme: subject.scheme,
      subject_id: subject.id,
      period_from: period?.from ?? null,
      period_to: period?.to ?? null,
      reference_date: referenceDate,
      status: 'pending' as const,
      attempts: 0,
      next_at: now,
      lease_owner: null,
      lease_until: null,
      deadline: c.deadline,
      payload: null,
      data_version: null,
      evidence: null,
      reason_code: null,
      created_at: now,
      first_sent_at: null,
      finished_at: null,
      ms: null,
      version: 0,
      recorded_by: null,
      trailed: 0,
    })),
  );
  const stepRow: StepRow = {
    case_id: c.id,
    step_id: step.id,
    status: skipped ? 'skipped' : 'planned',
    reason_code: skipped ?? null,
    enquiries: rows.length,
    planned_at: now,
  };

  const inserted = await ctx.store.transaction<TrayDb, boolean>((trx) =>
    insertStep(trx, stepRow, rows),
  );
  if (!inserted) return;
  ctx.emit({
    type: 'step',
    caseId: c.id,
    step: step.id,
    status: stepRow.status,
    enquiries: rows.length,
  });
  for (const source of step.sources) ctx.wake(source);
}

async function finishIfDone(
  ctx: EngineContext,
  c: CaseRow,
  process: GatheringProcess,
  planned: Map<string, StepRow>,
  enquiries: EnquiryRow[],
): Promise<void> {
  if (ctx.trailing.has(c.id)) return;
  const done =
    process.steps.every((step) => planned.has(step.id)) &&
    enquiries.every((e) => FINAL.has(e.status));
  if (!done) return;
  if (await closeCase(ctx.db, c.id, 'finished', ctx.clock.now())) {
    ctx.emit({ type: 'case', caseId: c.id, status: 'finished' });
  }
}
