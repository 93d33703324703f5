// SQLite SQL of the waiting rooms: one writer at a time (BEGIN IMMEDIATE), plain statements.

import { sql, type Kysely } from 'kysely';
import type { Store } from '@interop-blocks/core';
import type { LeaseParams, LeasedRow, RoomsDialect } from './dialect.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { acknowledge, finalise, insertRequests } from './sqlite-batches.js';

/** One transaction per batch: it takes the write lock at once (`BEGIN IMMEDIATE`). */
function batch<T>(store: Store, fn: (db: Kysely<RoomsDb>) => Promise<T>): Promise<T> {
  return store.transaction<RoomsDb, T>(fn);
}

/**
 * The store's transaction already holds SQLite's write lock, so selecting and updating in one
 * statement cannot interleave with another leaser (in this process or another).
 */
async function leaseBatch(db: Kysely<RoomsDb>, p: LeaseParams): Promise<LeasedRow[]> {
  const result = await sql<LeasedRow>`
    update async_requests
    set status = 'leased', lease_id = ${p.leaseId}, lease_source = ${p.source},
      lease_until = ${p.until}, available_at = ${p.until}, attempts = attempts + 1
    where request_id in (
      select request_id from async_requests
      where room = ${p.room} and available_at <= ${p.now} and deadline > ${p.now}
      order by available_at
      limit ${p.max}
    )
    returning request_id, room, group_request_id, requester, status, query, submitted_at,
      deadline, attempts, lease_until, purpose, legal_basis, case_ref, official`.execute(db);
  return result.rows.sort((a, b) => Number(a.submitted_at) - Number(b.submitted_at));
}

async function lockRequests(trx: Kysely<RoomsDb>, ids: readonly string[]): Promise<RequestTable[]> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('async_requests')
    .selectAll()
    .where('request_id', 'in', [...ids])
    .execute();
}

async function lockDueChecks(
  trx: Kysely<RoomsDb>,
  now: number,
  limit: number,
): Promise<RequestTable[]> {
  return trx
    .selectFrom('async_requests')
    .selectAll()
    .where('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .limit(limit)
    .execute();
}

async function claimCallbacks(
  trx: Kysely<RoomsDb>,
  now: number,
  limit: number,
  until: number,
): Promise<RequestTable[]> {
  const result = await sql<RequestTable>`
    update async_requests set next_delivery_at = ${until}
    where request_id in (
      select request_id from async_requests
      where next_delivery_at <= ${now}
      order by next_delivery_at
      limit ${limit}
    )
    returning *`.execute(trx);
  return result.rows;
}

/** The SQLite dialect. */
export const sqliteDialect: RoomsDialect = {
  batch,
  insertRequests,
  leaseBatch,
  acknowledge,
  lockRequests,
  finalise,
  lockDueChecks,
  claimCallbacks,
};
