// SQLite SQL of the waiting rooms: one writer at a time (BEGIN IMMEDIATE), so plain UPDATE ... RETURNING.

import { sql, type Kysely } from 'kysely';
import type { FinalUpdate, LeaseParams, RoomsDialect } from './dialect.js';
import type { RequestTable, RoomsDb } from './schema.js';

/**
 * The store's transaction already holds SQLite's write lock, so selecting and updating in one
 * statement cannot interleave with another leaser (in this process or another).
 */
async function leaseBatch(trx: Kysely<RoomsDb>, p: LeaseParams): Promise<RequestTable[]> {
  const result = await sql<RequestTable>`
    update async_requests
    set status = 'leased', lease_id = ${p.leaseId}, lease_source = ${p.source},
      lease_until = ${p.until}, available_at = ${p.until}, attempts = attempts + 1
    where request_id in (
      select request_id from async_requests
      where room = ${p.room} and available_at <= ${p.now} and deadline > ${p.now}
      order by available_at
      limit ${p.max}
    )
    returning *`.execute(trx);
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

/** SQLite runs in-process: one short prepared UPDATE per row is as fast as a bulk statement. */
async function finalise(trx: Kysely<RoomsDb>, updates: readonly FinalUpdate[]): Promise<void> {
  for (const u of updates) {
    await trx
      .updateTable('async_requests')
      .set({
        status: u.status,
        answer_status: u.answer_status,
        answer: u.answer,
        answer_hash: u.answer_hash,
        answer_signature: u.answer_signature,
        reason_code: u.reason_code,
        final_at: u.final_at,
        delivery_seq: u.delivery_seq,
        next_delivery_at: u.next_delivery_at,
        available_at: null,
        next_check_at: null,
      })
      .where('request_id', '=', u.request_id)
      .execute();
  }
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
  leaseBatch,
  lockRequests,
  finalise,
  lockDueChecks,
  claimCallbacks,
};
