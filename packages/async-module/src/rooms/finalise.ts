// Moving requests to a final status with an answer, and placing each answer in its requester's order.

import type { AnswerEnvelope, QueryEnvelope, Reason } from '@interop-blocks/core';
import { sql, type Kysely } from 'kysely';
import type { RoomsContext } from './context.js';
import type { FinalUpdate } from './dialect.js';
import type { RequestTable, RoomsDb } from './schema.js';

/** One request to finalise, with the answer the requester will receive. */
export interface Finalising {
  row: RequestTable;
  status: FinalUpdate['status'];
  answer: AnswerEnvelope;
  hash: string;
  signature: string | null;
  reasonCode: string | null;
}

/** The envelope fields every answer to `row` shares. */
function common(row: RequestTable, now: number) {
  const query = JSON.parse(row.query ?? 'null') as QueryEnvelope;
  return {
    requestId: row.request_id,
    answeredAt: new Date(now).toISOString(),
    source: row.room,
    subject: query.subject,
  };
}

/** The envelope of a source's `found` or `not_found` answer. */
export function sourceAnswerEnvelope(
  row: RequestTable,
  now: number,
  answer: { status: 'found' | 'not_found'; data?: unknown; version?: string },
): AnswerEnvelope {
  const version = answer.version === undefined ? {} : { version: answer.version };
  return answer.status === 'found'
    ? { ...common(row, now), status: 'found', ...version, data: answer.data }
    : { ...common(row, now), status: 'not_found', ...version };
}

/** The envelope of a declined request: `refused` with the source's reason. */
export function declineEnvelope(row: RequestTable, now: number, reason: Reason): AnswerEnvelope {
  return { ...common(row, now), status: 'refused', reason };
}

/** The envelope of a request whose deadline passed: `expired`, code `ASYNC_DEADLINE_PASSED`. */
export function expiredEnvelope(row: RequestTable, now: number): AnswerEnvelope {
  return {
    ...common(row, now),
    status: 'expired',
    reason: { code: 'ASYNC_DEADLINE_PASSED', message: 'No answer came before the deadline.' },
    deadline: new Date(Number(row.deadline)).toISOString(),
  };
}

/**
 * Reserves `count` delivery positions for each requester. The counter row stays locked until the
 * transaction ends, so positions become visible in the order they were handed out: a reader never
 * skips a position that commits later.
 */
async function reservePositions(
  trx: Kysely<RoomsDb>,
  counts: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  // A fixed order of requesters keeps two transactions from waiting on each other's rows.
  for (const requester of [...counts.keys()].sort()) {
    const n = counts.get(requester) ?? 0;
    const row = await trx
      .insertInto('async_cursors')
      .values({ requester, last_seq: n, acked_seq: 0 })
      .onConflict((oc) =>
        oc.column('requester').doUpdateSet({ last_seq: sql`async_cursors.last_seq + ${n}` }),
      )
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    first.set(requester, Number(row.last_seq) - n + 1);
  }
  return first;
}

/** Writes the final answers inside `trx`, with delivery positions and callback schedules. */
export async function finaliseRequests(
  ctx: RoomsContext,
  trx: Kysely<RoomsDb>,
  items: readonly Finalising[],
  now: number,
): Promise<void> {
  if (items.length === 0) return;
  const counts = new Map<string, number>();
  for (const { row } of items) counts.set(row.requester, (counts.get(row.requester) ?? 0) + 1);
  const next = await reservePositions(trx, counts);

  const updates = items.map<FinalUpdate>((item) => {
    const seq = next.get(item.row.requester) ?? 0;
    next.set(item.row.requester, seq + 1);
    return {
      request_id: item.row.request_id,
      status: item.status,
      answer_status: item.answer.status,
      answer: JSON.stringify(item.answer),
      answer_hash: item.hash,
      answer_signature: item.signature,
      reason_code: item.reasonCode,
      final_at: now,
      delivery_seq: seq,
      next_delivery_at: item.row.callback_url === null ? null : now,
    };
  });
  await ctx.dialect.finalise(trx, updates);
}
