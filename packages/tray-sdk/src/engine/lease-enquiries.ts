// Leases due enquiries of one source to one worker: the one place where the dialects differ.

import { sql, type Kysely } from 'kysely';
import type { Backend } from '@interop-blocks/core';
import type { EnquiryRow, TrayDb } from './tables.js';

/** What a lease asks for. */
export interface LeaseRequest {
  source: string;
  owner: string;
  now: number;
  /** The lease runs out at this time; afterwards another worker may take the enquiry. */
  until: number;
  limit: number;
}

/**
 * Takes up to `limit` enquiries of one source that are due (pending and `next_at` reached) or
 * whose lease ran out (a worker died mid-attempt), oldest first, and marks them in flight for
 * `owner`, counting the attempt. Several processes on one PostgreSQL split the work with
 * `FOR UPDATE SKIP LOCKED`; on SQLite the single statement runs under the database write lock.
 */
export async function leaseDue(
  db: Kysely<TrayDb>,
  backend: Backend,
  request: LeaseRequest,
): Promise<EnquiryRow[]> {
  const { source, owner, now, until, limit } = request;
  const lock = backend === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<EnquiryRow>`
    update tray_enquiry
    set status = 'in-flight', lease_owner = ${owner}, lease_until = ${until},
      attempts = attempts + 1, version = version + 1,
      first_sent_at = coalesce(first_sent_at, ${now})
    where request_id in (
      select request_id from tray_enquiry
      where source = ${source} and deadline > ${now} and (
        (status = 'pending' and next_at <= ${now})
        or (status = 'in-flight' and lease_until < ${now}))
      order by next_at
      limit ${limit}
      ${lock}
    )
    returning *`.execute(db);
  return result.rows.map(toNumbers);
}

// PostgreSQL returns bigint columns as numbers (core's type parser); SQLite returns numbers too.
// Integers from raw SQL are normalised here so that callers compare numbers, never strings.
function toNumbers(row: EnquiryRow): EnquiryRow {
  return {
    ...row,
    attempts: Number(row.attempts),
    next_at: Number(row.next_at),
    lease_until: row.lease_until === null ? null : Number(row.lease_until),
    deadline: Number(row.deadline),
    created_at: Number(row.created_at),
    first_sent_at: row.first_sent_at === null ? null : Number(row.first_sent_at),
    version: Number(row.version),
  };
}
