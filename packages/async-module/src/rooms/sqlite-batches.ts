// SQLite batch writes of the waiting rooms, inside one BEGIN IMMEDIATE transaction per batch.

import { sql, type Kysely } from 'kysely';
import type { Store } from '@interop-blocks/core';
import type { AckedRow, FinalUpdate } from './dialect.js';
import { SUBMIT_COLUMNS, type RequestTable, type RoomsDb } from './schema.js';

/**
 * Inserts the rows whose id is new through the store's prepared multi-row statements. The
 * transaction holds the write lock, so no other writer adds an id between the read and the insert.
 */
export async function insertRequests(
  store: Store,
  trx: Kysely<RoomsDb>,
  rows: readonly RequestTable[],
): Promise<Set<string>> {
  const known = new Set<string>();
  const ids = rows.map((r) => r.request_id);
  // SQLite binds at most 32,766 parameters per statement.
  for (let i = 0; i < ids.length; i += 10_000) {
    const found = await trx
      .selectFrom('async_requests')
      .select('request_id')
      .where('request_id', 'in', ids.slice(i, i + 10_000))
      .execute();
    for (const r of found) known.add(r.request_id);
  }
  const fresh = rows.filter((r) => !known.has(r.request_id));
  await store.insertMany(
    trx,
    'async_requests',
    SUBMIT_COLUMNS,
    fresh.map((r) => SUBMIT_COLUMNS.map((c) => r[c])),
  );
  return new Set(fresh.map((r) => r.request_id));
}

/** Reserves each requester's positions, then writes the updates of still unfinished requests. */
export async function finalise(
  trx: Kysely<RoomsDb>,
  updates: readonly FinalUpdate[],
  now: number,
): Promise<Set<string>> {
  const counts = new Map<string, number>();
  for (const u of updates) counts.set(u.requester, (counts.get(u.requester) ?? 0) + 1);
  const base = new Map<string, number>();
  for (const [requester, n] of counts) {
    const row = await trx
      .insertInto('async_cursors')
      .values({ requester, last_seq: n, acked_seq: 0 })
      .onConflict((oc) =>
        oc.column('requester').doUpdateSet({ last_seq: sql`async_cursors.last_seq + ${n}` }),
      )
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    base.set(requester, Number(row.last_seq) - n);
  }

  // One UPDATE ... FROM json_each for the batch: the updates travel as one JSON parameter.
  const rows = updates.map((u) => ({
    ...u,
    delivery_seq: (base.get(u.requester) ?? 0) + u.ordinal,
  }));
  const result = await sql<{ request_id: string }>`
    update async_requests
    set status = j.value ->> 'status', answer_status = j.value ->> 'answer_status',
      answer = j.value ->> 'answer', answer_hash = j.value ->> 'answer_hash',
      answer_signature = j.value ->> 'answer_signature', reason_code = j.value ->> 'reason_code',
      final_at = ${now}, delivery_seq = j.value ->> 'delivery_seq',
      next_delivery_at = j.value ->> 'next_delivery_at', available_at = null,
      next_check_at = null
    from json_each(${JSON.stringify(rows)}) as j
    where async_requests.request_id = j.value ->> 'request_id'
      and async_requests.status in ('waiting', 'leased')
    returning async_requests.request_id`.execute(trx);
  return new Set(result.rows.map((r) => r.request_id));
}

/** Purges the pulled answers up to `upTo` and moves the acknowledged position: one transaction. */
export async function acknowledge(
  store: Store,
  requester: string,
  upTo: number,
  now: number,
): Promise<AckedRow[] | undefined> {
  return store.transaction<RoomsDb, AckedRow[] | undefined>(async (trx) => {
    const counter = await trx
      .selectFrom('async_cursors')
      .select(['last_seq', 'acked_seq'])
      .where('requester', '=', requester)
      .executeTakeFirst();
    if (!counter || upTo > Number(counter.last_seq)) return undefined;

    const pending = trx
      .selectFrom('async_requests')
      .where('requester', '=', requester)
      .where('delivery_seq', '<=', upTo)
      .where('callback_url', 'is', null)
      .where('acknowledged_at', 'is', null);
    const rows = await pending
      .select([
        'request_id',
        'room',
        'purpose',
        'legal_basis',
        'case_ref',
        'official',
        'query',
        'answer_status',
      ])
      .execute();
    if (rows.length > 0) {
      await trx
        .updateTable('async_requests')
        .set({ query: null, answer: null, acknowledged_at: now })
        .where('requester', '=', requester)
        .where('delivery_seq', '<=', upTo)
        .where('callback_url', 'is', null)
        .where('acknowledged_at', 'is', null)
        .execute();
    }
    if (upTo > Number(counter.acked_seq)) {
      await trx
        .updateTable('async_cursors')
        .set({ acked_seq: upTo })
        .where('requester', '=', requester)
        .execute();
    }
    return rows;
  });
}
