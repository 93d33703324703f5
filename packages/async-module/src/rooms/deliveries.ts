// Delivering answers exactly once: pull from a cursor and acknowledge, or the callback outbox.

import type { AnswerEnvelope } from '@interop-blocks/core';
import { sql } from 'kysely';
import { AsyncError } from '../errors.js';
import type { CallbackDelivery, DeliveredAnswer, DeliveryReport } from '../types.js';
import type { RoomsContext } from './context.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { appendAll, transitionRecord } from './trail-records.js';

const CURSOR = /^[0-9]{1,15}$/;
const MAX_PAGE = 10_000;
const DEFAULT_CLAIM_MS = 30_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 3_600_000;

function parseCursor(cursor: string): number {
  if (typeof cursor !== 'string' || !CURSOR.test(cursor)) {
    throw new AsyncError('ASYNC_CURSOR_INVALID', 'A cursor is a value returned by pull.');
  }
  return Number(cursor);
}

function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new AsyncError('ASYNC_OPTIONS_INVALID', `A page holds 1 to ${MAX_PAGE} answers.`);
  }
}

/**
 * The requester's answers after `after` (default: after the last acknowledged one), in the order
 * they became final. Answers for requests with a callback URL go by callback, not here.
 *
 * @throws AsyncError `ASYNC_CURSOR_INVALID`, `ASYNC_OPTIONS_INVALID`.
 */
export async function pullAnswers(
  ctx: RoomsContext,
  requester: string,
  options: { after?: string; limit: number; signal?: AbortSignal },
): Promise<{ answers: DeliveredAnswer[]; next: string | undefined }> {
  checkLimit(options.limit);
  options.signal?.throwIfAborted();
  // Without a cursor: after the acknowledged position, read in the same statement.
  const after =
    options.after === undefined
      ? sql<number>`coalesce(
          (select acked_seq from async_cursors where requester = ${requester}), 0)`
      : parseCursor(options.after);

  const rows = await ctx.store
    .db<RoomsDb>()
    .selectFrom('async_requests')
    .select(['answer', 'group_request_id', 'delivery_seq'])
    .where('requester', '=', requester)
    .where('delivery_seq', '>', after)
    .where('callback_url', 'is', null)
    .where('acknowledged_at', 'is', null)
    .orderBy('delivery_seq')
    .limit(options.limit)
    .execute();

  const answers = rows
    .filter((r) => r.answer !== null)
    .map<DeliveredAnswer>((r) => ({
      cursor: String(r.delivery_seq),
      answer: JSON.parse(r.answer ?? 'null') as AnswerEnvelope,
      groupRequestId: r.group_request_id,
    }));
  return { answers, next: answers.at(-1)?.cursor };
}

/**
 * Acknowledges every pulled answer up to `cursor`: their query and answer payloads are deleted,
 * the metadata stays, and each delivery is trailed. Acknowledging again changes nothing.
 *
 * @returns how many answers this call acknowledged.
 * @throws AsyncError `ASYNC_CURSOR_INVALID` (malformed, or beyond what was handed out).
 */
export async function acknowledgeAnswers(
  ctx: RoomsContext,
  requester: string,
  cursor: string,
): Promise<number> {
  const upTo = parseCursor(cursor);
  const now = ctx.clock.now();

  const acked = await ctx.dialect.acknowledge(ctx.store, requester, upTo, now);
  if (acked === undefined) {
    throw new AsyncError('ASYNC_CURSOR_INVALID', 'The cursor is beyond the answers handed out.');
  }

  await appendAll(
    ctx,
    acked.map((r) =>
      transitionRecord('async.deliver', requester, r, {
        status: (r.answer_status ?? undefined) as AnswerEnvelope['status'] | undefined,
      }),
    ),
  );
  return acked.length;
}

/**
 * Claims answers due for a callback POST, hiding them from other deliverers for `claimMs`.
 *
 * @throws AsyncError `ASYNC_OPTIONS_INVALID`.
 */
export async function nextDeliveries(
  ctx: RoomsContext,
  options: { limit: number; claimMs?: number },
): Promise<CallbackDelivery[]> {
  checkLimit(options.limit);
  const claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;
  if (!Number.isSafeInteger(claimMs) || claimMs <= 0) {
    throw new AsyncError('ASYNC_OPTIONS_INVALID', 'A claim lasts a positive number of ms.');
  }
  const now = ctx.clock.now();
  const rows = await ctx.store.transaction<RoomsDb, RequestTable[]>((trx) =>
    ctx.dialect.claimCallbacks(trx, now, options.limit, now + claimMs),
  );
  return rows
    .filter((r) => r.answer !== null && r.callback_url !== null)
    .map((r) => ({
      requestId: r.request_id,
      requester: r.requester,
      callbackUrl: r.callback_url ?? '',
      answer: JSON.parse(r.answer ?? 'null') as AnswerEnvelope,
      groupRequestId: r.group_request_id,
      attempts: Number(r.delivery_attempts),
    }));
}

/** The delay before callback attempt `attempts + 1`: doubling from 1 s, at most an hour. */
export function callbackBackoff(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts, 30));
}

/**
 * Records callback attempts. A delivered answer is purged (query and answer) and trailed; a failed
 * one is tried again at `retryAt` or after {@link callbackBackoff}. Reports for answers already
 * delivered change nothing.
 */
export async function markDelivered(
  ctx: RoomsContext,
  reports: readonly DeliveryReport[],
): Promise<void> {
  if (reports.length === 0) return;
  const now = ctx.clock.now();
  const ids = [...new Set(reports.map((r) => r.requestId))];

  const delivered = await ctx.store.transaction<RoomsDb, RequestTable[]>(async (trx) => {
    const rows = new Map(
      (await ctx.dialect.lockRequests(trx, ids))
        .filter((r) => r.next_delivery_at !== null)
        .map((r) => [r.request_id, r]),
    );
    const done: RequestTable[] = [];
    for (const report of reports) {
      const row = rows.get(report.requestId);
      if (!row) continue;
      rows.delete(report.requestId);
      const attempts = Number(row.delivery_attempts) + 1;
      const update = report.delivered
        ? { query: null, answer: null, acknowledged_at: now, next_delivery_at: null }
        : { next_delivery_at: report.retryAt ?? now + callbackBackoff(attempts - 1) };
      await trx
        .updateTable('async_requests')
        .set({ ...update, delivery_attempts: attempts })
        .where('request_id', '=', row.request_id)
        .execute();
      if (report.delivered) done.push(row);
    }
    return done;
  });

  await appendAll(
    ctx,
    delivered.map((r) =>
      transitionRecord('async.deliver', r.requester, r, {
        status: (r.answer_status ?? undefined) as AnswerEnvelope['status'] | undefined,
      }),
    ),
  );
}
