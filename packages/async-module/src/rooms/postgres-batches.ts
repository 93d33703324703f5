// PostgreSQL batch writes of the waiting rooms: one statement per batch, columns bound as arrays.

import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Store } from '@interop-blocks/core';
import type { AckedRow, FinalUpdate } from './dialect.js';
import type { RequestTable, RoomsDb } from './schema.js';

// Each column travels as one array parameter and `unnest` turns the arrays back into rows: a
// batch binds a dozen parameters instead of one per cell, which PostgreSQL parses faster.

type Cell = string | number | null;

function textArray(values: readonly Cell[]): RawBuilder<unknown> {
  return sql`${values}::text[]`;
}

function bigintArray(values: readonly Cell[]): RawBuilder<unknown> {
  return sql`${values}::bigint[]`;
}

/**
 * Inserts the rows whose id is new in one `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO
 * NOTHING`; a concurrent insert of the same id waits for the other and then does nothing.
 */
export async function insertRequests(
  _store: Store,
  db: Kysely<RoomsDb>,
  rows: readonly RequestTable[],
): Promise<Set<string>> {
  const t = <K extends keyof RequestTable>(k: K) => textArray(rows.map((r) => r[k] as Cell));
  const n = <K extends keyof RequestTable>(k: K) => bigintArray(rows.map((r) => r[k] as Cell));
  const result = await sql<{ request_id: string }>`
    insert into async_requests (request_id, room, group_request_id, requester, query,
      callback_url, purpose, legal_basis, case_ref, official, submitted_at, deadline, warn_at,
      critical_at, next_check_at, available_at, status)
    select *, 'waiting' from unnest(${t('request_id')}, ${t('room')}, ${t('group_request_id')},
      ${t('requester')}, ${t('query')}, ${t('callback_url')}, ${t('purpose')},
      ${t('legal_basis')}, ${t('case_ref')}, ${t('official')}, ${n('submitted_at')},
      ${n('deadline')}, ${n('warn_at')}, ${n('critical_at')}, ${n('next_check_at')},
      ${n('available_at')})
    on conflict (request_id) do nothing
    returning request_id`.execute(db);
  return new Set(result.rows.map((r) => r.request_id));
}

/**
 * One statement: reserves the positions of each requester (counter rows upserted in requester
 * order, so two batches never wait on each other in a cycle) and writes the final updates,
 * guarded by the status: a request finalised or cancelled meanwhile is left alone.
 */
export async function finalise(
  db: Kysely<RoomsDb>,
  updates: readonly FinalUpdate[],
  now: number,
): Promise<Set<string>> {
  if (updates.length === 0) return new Set();
  const t = <K extends keyof FinalUpdate>(k: K) => textArray(updates.map((u) => u[k] as Cell));
  const n = <K extends keyof FinalUpdate>(k: K) => bigintArray(updates.map((u) => u[k] as Cell));
  const result = await sql<{ request_id: string }>`
    with v as (
      select * from unnest(${t('request_id')}, ${t('requester')}, ${n('ordinal')}, ${t('status')},
        ${t('answer_status')}, ${t('answer')}, ${t('answer_hash')}, ${t('answer_signature')},
        ${t('reason_code')}, ${n('next_delivery_at')})
        as v(request_id, requester, ordinal, status, answer_status, answer, answer_hash,
          answer_signature, reason_code, next_delivery_at)
    ),
    counts as (select requester, count(*) as n from v group by requester),
    counters as (
      insert into async_cursors (requester, last_seq, acked_seq)
      select requester, n, 0 from counts order by requester
      on conflict (requester) do update set last_seq = async_cursors.last_seq + excluded.last_seq
      returning requester, last_seq
    )
    update async_requests as r
    set status = v.status, answer_status = v.answer_status, answer = v.answer,
      answer_hash = v.answer_hash, answer_signature = v.answer_signature,
      reason_code = v.reason_code, final_at = ${now}, next_delivery_at = v.next_delivery_at,
      delivery_seq = c.last_seq - k.n + v.ordinal, available_at = null, next_check_at = null
    from v
    join counts as k on k.requester = v.requester
    join counters as c on c.requester = v.requester
    where r.request_id = v.request_id and r.status in ('waiting', 'leased')
    returning r.request_id`.execute(db);
  return new Set(result.rows.map((r) => r.request_id));
}

/**
 * One statement: purges the payloads of the pulled answers up to `upTo` and moves the
 * acknowledged position. The update re-checks `acknowledged_at` on the row it writes, so two
 * concurrent acknowledgements never both acknowledge (and trail) the same answer.
 */
export async function acknowledge(
  store: Store,
  requester: string,
  upTo: number,
  now: number,
): Promise<AckedRow[] | undefined> {
  const result = await sql<AckedRow & { last_seq: number; acked: boolean }>`
    with counter as (
      select last_seq from async_cursors where requester = ${requester}
    ),
    pending as (
      select request_id, query from async_requests
      where requester = ${requester} and delivery_seq <= ${upTo} and callback_url is null
        and acknowledged_at is null and ${upTo} <= (select last_seq from counter)
    ),
    purged as (
      update async_requests as r set query = null, answer = null, acknowledged_at = ${now}
      from pending as p
      where r.request_id = p.request_id and r.acknowledged_at is null
      returning r.request_id, r.room, r.purpose, r.legal_basis, r.case_ref, r.official,
        r.answer_status, p.query
    ),
    moved as (
      update async_cursors set acked_seq = ${upTo}
      where requester = ${requester} and acked_seq < ${upTo} and last_seq >= ${upTo}
    )
    select c.last_seq, p.request_id is not null as acked, p.*
    from counter as c left join purged as p on true`.execute(store.db<RoomsDb>());

  const first = result.rows[0];
  if (!first || upTo > Number(first.last_seq)) return undefined;
  return result.rows
    .filter((r) => r.acked)
    .map((r) => ({
      request_id: r.request_id,
      room: r.room,
      purpose: r.purpose,
      legal_basis: r.legal_basis,
      case_ref: r.case_ref,
      official: r.official,
      query: r.query,
      answer_status: r.answer_status,
    }));
}
