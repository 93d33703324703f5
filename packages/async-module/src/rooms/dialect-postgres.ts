// PostgreSQL SQL of the waiting rooms: leasing and claiming with FOR UPDATE SKIP LOCKED.

import { sql, type Kysely } from 'kysely';
import type { Store } from '@interop-blocks/core';
import type { LeaseParams, LeasedRow, RoomsDialect } from './dialect.js';
import { acknowledge, finalise, insertRequests } from './postgres-batches.js';
import type { RequestTable, RoomsDb } from './schema.js';

/** Statements run on the pool and commit one by one: each batch operation is one statement. */
function batch<T>(store: Store, fn: (db: Kysely<RoomsDb>) => Promise<T>): Promise<T> {
  return fn(store.db<RoomsDb>());
}

/**
 * Rows locked by another transaction are skipped, not waited for: two leasers (in one process or
 * many) never take the same request, and neither blocks the other.
 */
// TODO(async-lease-plan): the walk down `async_requests_available` relies on table statistics;
// on a table never analyzed (autovacuum off) the planner may choose a bitmap scan and a sort that
// read the whole backlog for every lease. Production servers analyze through autovacuum.

async function leaseBatch(db: Kysely<RoomsDb>, p: LeaseParams): Promise<LeasedRow[]> {
  const result = await sql<LeasedRow>`
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
    returning r.request_id, r.room, r.group_request_id, r.requester, r.status, r.query,
      r.submitted_at, r.deadline, r.attempts, r.lease_until, r.purpose, r.legal_basis,
      r.case_ref, r.official`.execute(db);
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
  batch,
  insertRequests,
  leaseBatch,
  acknowledge,
  lockRequests,
  finalise,
  lockDueChecks,
  claimCallbacks,
};
