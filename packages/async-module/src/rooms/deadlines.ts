// Deadlines and lateness: sweep() expires overdue requests and raises two-level late alerts.

import { diagnosticsChannelFor } from '@interop-blocks/core';
import { AsyncError } from '../errors.js';
import type { LateRequest } from '../types.js';
import type { RoomsContext } from './context.js';
import { expiredEnvelope, finaliseRequests, type Finalising } from './finalise.js';
import { outcomeHash } from './rows.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { appendAll, transitionRecord } from './trail-records.js';

/** `{ requestId, room, level, submittedAt, deadline }` when a request becomes late. */
export const lateChannel = diagnosticsChannelFor('async', 'request', 'late');
/** `{ requestId, room, deadline }` when a request expires. */
export const expiredChannel = diagnosticsChannelFor('async', 'request', 'expired');

/** The principal recorded for what the rooms do by themselves (expiry). */
export const SWEEPER = 'async-module';
const SWEEP_BATCH = 1_000;

interface SweepBatch {
  expired: Finalising[];
  late: LateRequest[];
  seen: number;
}

/** Sorts due rows into expiries and lateness levels, and writes the lateness changes. */
async function sweepBatch(ctx: RoomsContext, now: number): Promise<SweepBatch> {
  return ctx.store.transaction<RoomsDb, SweepBatch>(async (trx) => {
    const rows = await ctx.dialect.lockDueChecks(trx, now, SWEEP_BATCH);
    const expired: Finalising[] = [];
    const late: LateRequest[] = [];
    const toLevel: Record<1 | 2, string[]> = { 1: [], 2: [] };

    for (const row of rows) {
      if (Number(row.deadline) <= now) {
        const answer = expiredEnvelope(row, now);
        expired.push({
          row,
          status: 'expired',
          answer,
          hash: outcomeHash({ expired: true }),
          signature: null,
          reasonCode: 'ASYNC_DEADLINE_PASSED',
        });
        continue;
      }
      const level = Number(row.critical_at) <= now ? 2 : Number(row.warn_at) <= now ? 1 : 0;
      if (level > Number(row.late_level)) {
        toLevel[level as 1 | 2].push(row.request_id);
        late.push(lateRequest(row, level as 1 | 2));
      } else {
        toLevel[Math.max(1, Number(row.late_level)) as 1 | 2].push(row.request_id);
      }
    }

    // The next check of a warned request is its critical share, of a critical one its deadline.
    if (toLevel[1].length > 0) {
      await trx
        .updateTable('async_requests')
        .set((eb) => ({ late_level: 1, next_check_at: eb.ref('critical_at') }))
        .where('request_id', 'in', toLevel[1])
        .execute();
    }
    if (toLevel[2].length > 0) {
      await trx
        .updateTable('async_requests')
        .set((eb) => ({ late_level: 2, next_check_at: eb.ref('deadline') }))
        .where('request_id', 'in', toLevel[2])
        .execute();
    }
    // The rows are locked, so every expiry is written; the filter keeps the trail exact anyway.
    const written = await finaliseRequests(ctx, trx, expired, now);
    return {
      expired: expired.filter((e) => written.has(e.row.request_id)),
      late,
      seen: rows.length,
    };
  });
}

function lateRequest(
  row: Pick<RequestTable, 'request_id' | 'room' | 'submitted_at' | 'deadline'>,
  level: 1 | 2,
): LateRequest {
  return {
    requestId: row.request_id,
    room: row.room,
    level: level === 2 ? 'critical' : 'warning',
    submittedAt: Number(row.submitted_at),
    deadline: Number(row.deadline),
  };
}

/**
 * Expires every unfinished request past its deadline (each gets an `expired` answer, delivered
 * like any other) and raises lateness levels: `warning` after `warningShare` of the time to the
 * deadline, `critical` after `criticalShare`. Publishes `interop:async:request:late` and
 * `interop:async:request:expired`. Safe to run in several processes at once.
 */
export async function sweep(
  ctx: RoomsContext,
): Promise<{ expired: number; warnings: number; critical: number }> {
  const now = ctx.clock.now();
  const totals = { expired: 0, warnings: 0, critical: 0 };
  for (;;) {
    const batch = await sweepBatch(ctx, now);
    await appendAll(
      ctx,
      batch.expired.map((e) =>
        transitionRecord('async.expire', SWEEPER, e.row, {
          status: 'expired',
          reasonCode: 'ASYNC_DEADLINE_PASSED',
        }),
      ),
    );
    for (const e of batch.expired) {
      if (expiredChannel.hasSubscribers) {
        expiredChannel.publish({
          requestId: e.row.request_id,
          room: e.row.room,
          deadline: Number(e.row.deadline),
        });
      }
    }
    for (const l of batch.late) {
      if (lateChannel.hasSubscribers) lateChannel.publish(l);
      if (l.level === 'critical') totals.critical += 1;
      else totals.warnings += 1;
    }
    totals.expired += batch.expired.length;
    if (batch.seen < SWEEP_BATCH) return totals;
  }
}

/**
 * Unfinished requests that are late, most urgent deadline first.
 *
 * @throws AsyncError `ASYNC_OPTIONS_INVALID`.
 */
export async function lateRequests(
  ctx: RoomsContext,
  options: { room?: string; limit?: number } = {},
): Promise<LateRequest[]> {
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
    throw new AsyncError('ASYNC_OPTIONS_INVALID', 'A page holds 1 to 10000 requests.');
  }
  let query = ctx.store
    .db<RoomsDb>()
    .selectFrom('async_requests')
    .select(['request_id', 'room', 'submitted_at', 'deadline', 'late_level'])
    .where('late_level', '>', 0)
    .where('available_at', 'is not', null)
    .orderBy('deadline')
    .limit(limit);
  if (options.room !== undefined) query = query.where('room', '=', options.room);
  return (await query.execute()).map((r) => lateRequest(r, Number(r.late_level) >= 2 ? 2 : 1));
}
