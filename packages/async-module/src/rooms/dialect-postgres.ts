// PostgreSQL SQL of the waiting rooms: leasing and claiming with FOR UPDATE SKIP LOCKED, bulk updates.

import { sql, type Kysely } from 'kysely';
import type { FinalUpdate, LeaseParams, RoomsDialect } from './dialect.js';
import type { RequestTable, RoomsDb } from './schema.js';

/**
 * Rows locked by another transaction are skipped, not waited for: two leasers (in one process or
 * many) never take the same request, and neither blocks the other.
 */
async function leaseBatch(trx: Kysely<RoomsDb>, p: LeaseParams): Promise<RequestTable[]> {
  const result = await sql<RequestTable>`
    with picked as (
      select request_id from async_requests
      where room = ${p.room} and available_at <= ${p.now} and deadline > ${p.now}
      order by available_at
      limit ${p.max}
      for update skip locked
    )
    update async_requests as r
    set status = 'leased', lease_id = ${p.leaseId}, lease_source = ${p.source},
      lease_until = ${p.until}, available_at = ${p.until}, attempts = r.attempts + 1
    from picked
    where r.request_id = picked.request_id
    returning r.*`.execute(trx);
  return result.rows;
}

async function lockRequests(trx: Kysely<RoomsDb>, ids: readonly string[]): Promise<RequestTable[]> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('async_requests')
    .selectAll()
    .where('request_id', 'in', [...ids])
    .orderBy('request_id')
    .forUpdate()
    .execute();
}

/** One `UPDATE ... FROM (VALUES ...)` for the whole batch; casts type the bound parameters. */
async function finalise(trx: Kysely<RoomsDb>, updates: readonly FinalUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const values = sql.join(
    updates.map(
      (u) => sql`(${u.request_id}::text, ${u.status}::text, ${u.answer_status}::text,
        ${u.answer}::text, ${u.answer_hash}::text, ${u.answer_signature}::text,
        ${u.reason_code}::text, ${u.final_at}::bigint, ${u.delivery_seq}::bigint,
        ${u.next_delivery_at}::bigint)`,
    ),
  );
  await sql`
    update async_requests as r
    set status = v.status, answer_status = v.answer_status, answer = v.answer,
      answer_hash = v.answer_hash, answer_signature = v.answer_signature,
      reason_code = v.reason_code, final_at = v.final_at, delivery_seq = v.delivery_seq,
      next_delivery_at = v.next_delivery_at, available_at = null, next_check_at = null
    from (values ${values}) as v(request_id, status, answer_status, answer, answer_hash,
      answer_signature, reason_code, final_at, delivery_seq, next_delivery_at)
    where r.request_id = v.request_id`.execute(trx);
}

async function lockDueChecks(
  trx: Kysely<RoomsDb>,
  now: number,
  limit: number,
): Promise<RequestTable[]> {
  const result = await sql<RequestTable>`
    select * from async_requests
    where next_check_at <= ${now}
    order by next_check_at
    limit ${limit}
    for update skip locked`.execute(trx);
  return result.rows;
}

async function claimCallbacks(
  trx: Kysely<RoomsDb>,
  now: number,
  limit: number,
  until: number,
): Promise<RequestTable[]> {
  const result = await sql<RequestTable>`
    with picked as (
      select request_id from async_requests
      where next_delivery_at <= ${now}
      order by next_delivery_at
      limit ${limit}
      for update skip locked
    )
    update async_requests as r set next_delivery_at = ${until}
    from picked
    where r.request_id = picked.request_id
    returning r.*`.execute(trx);
  return result.rows;
}

/** The PostgreSQL dialect. */
export const postgresDialect: RoomsDialect = {
  leaseBatch,
  lockRequests,
  finalise,
  lockDueChecks,
  claimCallbacks,
};
