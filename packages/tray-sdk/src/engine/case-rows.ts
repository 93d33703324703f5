// SQL for cases and their planned steps (portable: the same statements on SQLite and PostgreSQL).

import type { Kysely } from 'kysely';
import type { CaseRow, CaseStatus, EnquiryRow, StepRow, TrayDb } from './tables.js';

/** Stores a new case. */
export async function insertCase(db: Kysely<TrayDb>, row: CaseRow): Promise<void> {
  await db.insertInto('tray_case').values(row).execute();
}

/** The case `id`, or undefined. */
export async function findCase(db: Kysely<TrayDb>, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('tray_case').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ids of the cases not yet finished or cancelled. */
export async function openCaseIds(db: Kysely<TrayDb>): Promise<string[]> {
  const rows = await db
    .selectFrom('tray_case')
    .select('id')
    .where('status', '=', 'open')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}

/** Moves an open case to `status`; false when it was no longer open (another process did it). */
export async function closeCase(
  db: Kysely<TrayDb>,
  id: string,
  status: Exclude<CaseStatus, 'open'>,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('tray_case')
    .set({ status, finished_at: now })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The planned steps of a case. */
export async function stepsOf(db: Kysely<TrayDb>, caseId: string): Promise<StepRow[]> {
  return db.selectFrom('tray_step').selectAll().where('case_id', '=', caseId).execute();
}

/**
 * Plans a step: its row and its enquiries in one transaction. Planning twice (after a crash, or by
 * two processes at once) stores the first plan only: the step row and each enquiry are unique.
 * Returns false when the step was already planned.
 */
export async function insertStep(
  trx: Kysely<TrayDb>,
  step: StepRow,
  enquiries: readonly EnquiryRow[],
): Promise<boolean> {
  const inserted = await trx
    .insertInto('tray_step')
    .values(step)
    .onConflict((oc) => oc.columns(['case_id', 'step_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;

  for (let i = 0; i < enquiries.length; i += 500) {
    await trx
      .insertInto('tray_enquiry')
      .values(enquiries.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['case_id', 'step_id', 'source', 'subject_scheme', 'subject_id']).doNothing(),
      )
      .execute();
  }
  return true;
}

/** Marks a case as collected and drops the payloads of its answers; only metadata stays. */
export async function dropPayloads(
  trx: Kysely<TrayDb>,
  caseId: string,
  now: number,
): Promise<void> {
  await trx
    .updateTable('tray_enquiry')
    .set({ payload: null })
    .where('case_id', '=', caseId)
    .execute();
  await trx.updateTable('tray_case').set({ collected_at: now }).where('id', '=', caseId).execute();
}
