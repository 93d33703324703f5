// SQL for enquiries: answers recorded once, retries rescheduled, waiting marked, overdue ones
// found.

import type { Kysely } from 'kysely';
import {
  FINAL_STATUSES,
  OPEN_STATUSES,
  type EnquiryRow,
  type FinalEnquiryStatus,
  type TrayDb,
} from './tables.js';

/** What a final answer stores. */
export interface FinalFields {
  status: FinalEnquiryStatus;
  payload?: string;
  dataVersion?: string;
  evidence?: string;
  reasonCode?: string;
}

/**
 * Records a final answer exactly once: only while the enquiry is still open. Returns false when
 * another attempt, process or the deadline sweep recorded it first.
 */
export async function recordFinal(
  db: Kysely<TrayDb>,
  row: Pick<EnquiryRow, 'request_id' | 'first_sent_at'>,
  fields: FinalFields,
  now: number,
  recordedBy: string,
): Promise<boolean> {
  const result = await db
    .updateTable('tray_enquiry')
    .set((eb) => ({
      status: fields.status,
      payload: fields.payload ?? null,
      data_version: fields.dataVersion ?? null,
      evidence: fields.evidence ?? null,
      reason_code: fields.reasonCode ?? null,
      lease_owner: null,
      lease_until: null,
      finished_at: now,
      ms: row.first_sent_at === null ? null : now - row.first_sent_at,
      recorded_by: recordedBy,
      trailed: 0,
      version: eb('version', '+', 1),
    }))
    .where('request_id', '=', row.request_id)
    .where('status', 'in', OPEN_STATUSES)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Puts a leased enquiry back in the queue for another attempt at `nextAt`, keeping its request
 * id. Only the lease holder may do it, and only for the lease it holds (`version`).
 */
export function reschedule(
  db: Kysely<TrayDb>,
  row: Pick<EnquiryRow, 'request_id' | 'version'>,
  owner: string,
  nextAt: number,
  reasonCode: string,
): Promise<boolean> {
  return releaseHeldLease(db, row, owner, {
    status: 'pending',
    next_at: nextAt,
    reason_code: reasonCode,
  });
}

/** The source took the enquiry and will answer later, by `deadline`. */
export function markWaiting(
  db: Kysely<TrayDb>,
  row: Pick<EnquiryRow, 'request_id' | 'version'>,
  owner: string,
  deadline: number,
): Promise<boolean> {
  return releaseHeldLease(db, row, owner, { status: 'waiting', deadline });
}

/** Ends the lease `owner` holds on `row` (at its `version`) with `changes`; false if it lost it. */
async function releaseHeldLease(
  db: Kysely<TrayDb>,
  row: Pick<EnquiryRow, 'request_id' | 'version'>,
  owner: string,
  changes: Partial<Pick<EnquiryRow, 'status' | 'next_at' | 'reason_code' | 'deadline'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('tray_enquiry')
    .set((eb) => ({
      ...changes,
      lease_owner: null,
      lease_until: null,
      version: eb('version', '+', 1),
    }))
    .where('request_id', '=', row.request_id)
    .where('status', '=', 'in-flight')
    .where('lease_owner', '=', owner)
    .where('version', '=', row.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Enquiries of `requestIds` that are still open (for answers collected from a later source). */
export async function openEnquiries(
  db: Kysely<TrayDb>,
  requestIds: readonly string[],
): Promise<EnquiryRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('tray_enquiry')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .where('status', 'in', OPEN_STATUSES)
    .execute();
}

/** Open enquiries whose deadline has passed and that no live lease holds. */
export async function overdueEnquiries(
  db: Kysely<TrayDb>,
  now: number,
  limit: number,
): Promise<EnquiryRow[]> {
  return db
    .selectFrom('tray_enquiry')
    .selectAll()
    .where('status', 'in', OPEN_STATUSES)
    .where('deadline', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('deadline')
    .limit(limit)
    .execute();
}

/** Open enquiries of a case (to cancel them). */
export async function openEnquiriesOfCase(
  db: Kysely<TrayDb>,
  caseId: string,
): Promise<EnquiryRow[]> {
  return db
    .selectFrom('tray_enquiry')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', 'in', OPEN_STATUSES)
    .execute();
}

/** Every enquiry of a case, in creation order. */
export async function enquiriesOfCase(db: Kysely<TrayDb>, caseId: string): Promise<EnquiryRow[]> {
  return db
    .selectFrom('tray_enquiry')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('request_id')
    .execute();
}

/** Sources with enquiries waiting for a later answer. */
export async function sourcesWaiting(db: Kysely<TrayDb>): Promise<string[]> {
  const rows = await db
    .selectFrom('tray_enquiry')
    .select('source')
    .distinct()
    .where('status', '=', 'waiting')
    .execute();
  return rows.map((r) => r.source);
}

/** The earliest time an enquiry of `source` becomes due, or undefined when none waits. */
export async function nextDue(db: Kysely<TrayDb>, source: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('tray_enquiry')
    .select((eb) => eb.fn.min('next_at').as('next'))
    .where('source', '=', source)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
}

/**
 * Puts back the enquiries an earlier run of this worker held when it died: a restarted process
 * with the same worker id knows those attempts ended. They keep their request ids.
 */
export async function releaseLeasesOf(
  db: Kysely<TrayDb>,
  owner: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('tray_enquiry')
    .set((eb) => ({
      status: 'pending',
      next_at: now,
      lease_owner: null,
      lease_until: null,
      version: eb('version', '+', 1),
    }))
    .where('status', '=', 'in-flight')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The answer of `requestId` is in the trail. */
export async function markTrailed(db: Kysely<TrayDb>, requestId: string): Promise<void> {
  await db
    .updateTable('tray_enquiry')
    .set({ trailed: 1 })
    .where('request_id', '=', requestId)
    .execute();
}

/**
 * Final answers not yet in the trail: those recorded before `before` by anyone, and, when `owner`
 * is given, every one recorded by it (an earlier run of this worker that died before appending).
 */
export async function untrailedAnswers(
  db: Kysely<TrayDb>,
  before: number,
  limit: number,
  owner?: string,
): Promise<EnquiryRow[]> {
  return db
    .selectFrom('tray_enquiry')
    .selectAll()
    .where('trailed', '=', 0)
    .where('status', 'in', FINAL_STATUSES)
    .where((eb) =>
      eb.or([
        eb('finished_at', '<', before),
        ...(owner === undefined ? [] : [eb('recorded_by', '=', owner)]),
      ]),
    )
    .orderBy('finished_at')
    .limit(limit)
    .execute();
}
