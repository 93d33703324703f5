// Moving requests to a final status with an answer and a place in the requester's order.

import type { AnswerEnvelope, QueryEnvelope, Reason } from '@interop-blocks/core';
import type { Kysely } from 'kysely';
import type { RoomsContext } from './context.js';
import type { FinalUpdate } from './dialect.js';
import type { RequestTable, RoomsDb } from './schema.js';

/** What finalising a request reads of it: envelope, delivery and trail facts. */
export type FinalisingRow = Pick<
  RequestTable,
  | 'request_id'
  | 'room'
  | 'requester'
  | 'query'
  | 'callback_url'
  | 'deadline'
  | 'purpose'
  | 'legal_basis'
  | 'case_ref'
  | 'official'
>;

/** One request to finalise, with the answer the requester will receive. */
export interface Finalising {
  row: FinalisingRow;
  status: FinalUpdate['status'];
  answer: AnswerEnvelope;
  hash: string;
  signature: string | null;
  reasonCode: string | null;
}

/** The envelope fields every answer to `row` shares. */
function common(row: FinalisingRow, now: number) {
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
  row: FinalisingRow,
  now: number,
  answer: { status: 'found' | 'not_found'; data?: unknown; version?: string },
): AnswerEnvelope {
  const version = answer.version === undefined ? {} : { version: answer.version };
  return answer.status === 'found'
    ? { ...common(row, now), status: 'found', ...version, data: answer.data }
    : { ...common(row, now), status: 'not_found', ...version };
}

/** The envelope of a declined request: `refused` with the source's reason. */
export function declineEnvelope(row: FinalisingRow, now: number, reason: Reason): AnswerEnvelope {
  return { ...common(row, now), status: 'refused', reason };
}

/** The envelope of a request whose deadline passed: `expired`, code `ASYNC_DEADLINE_PASSED`. */
export function expiredEnvelope(row: FinalisingRow, now: number): AnswerEnvelope {
  return {
    ...common(row, now),
    status: 'expired',
    reason: { code: 'ASYNC_DEADLINE_PASSED', message: 'No answer came before the deadline.' },
    deadline: new Date(Number(row.deadline)).toISOString(),
  };
}

/**
 * Writes the final answers with their delivery positions and callback schedules, each only while
 * its request is unfinished; returns the ids written. Positions follow the order of `items` per
 * requester.
 */
export async function finaliseRequests(
  ctx: RoomsContext,
  db: Kysely<RoomsDb>,
  items: readonly Finalising[],
  now: number,
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const ordinals = new Map<string, number>();
  const updates = items.map<FinalUpdate>((item) => {
    const ordinal = (ordinals.get(item.row.requester) ?? 0) + 1;
    ordinals.set(item.row.requester, ordinal);
    return {
      request_id: item.row.request_id,
      requester: item.row.requester,
      ordinal,
      status: item.status,
      answer_status: item.answer.status,
      answer: JSON.stringify(item.answer),
      answer_hash: item.hash,
      answer_signature: item.signature,
      reason_code: item.reasonCode,
      next_delivery_at: item.row.callback_url === null ? null : now,
    };
  });
  return ctx.dialect.finalise(db, updates, now);
}
