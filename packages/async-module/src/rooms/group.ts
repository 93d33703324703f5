// Requests to a group of rooms ("all banks"): one member request per room, and the group's status.

import { newId } from '@interop-blocks/core';
import { AsyncError } from '../errors.js';
import type { GroupStatus, SubmitInput, SubmitResult } from '../types.js';
import type { RoomsContext } from './context.js';
import { FINAL_STATUSES, effectiveStatus } from './rows.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { insertRows, prepareRow, submitResults } from './submit.js';
import { appendAll, transitionRecord } from './trail-records.js';

/**
 * Submits one query to every room of a group. The query's request id becomes the group request
 * id (the idempotency key); each member gets a new UUIDv7 and the member room as its source.
 *
 * @throws AsyncError `ASYNC_ROOM_UNKNOWN` (no such group), `ASYNC_SUBMIT_INVALID`.
 */
export async function submitGroup(
  ctx: RoomsContext,
  group: string,
  input: SubmitInput,
  signal?: AbortSignal,
): Promise<{ groupRequestId: string; members: SubmitResult[] }> {
  const rooms = ctx.groups.get(group);
  if (!rooms) {
    throw new AsyncError('ASYNC_ROOM_UNKNOWN', 'No group of that name is declared.', {
      context: { group },
    });
  }
  const groupRequestId = input.query.requestId;
  const now = ctx.clock.now();
  const rows = rooms.map((room, i) =>
    prepareRow(
      ctx,
      { ...input, query: { ...input.query, source: room, requestId: newId(ctx.clock) } },
      i,
      groupRequestId,
      now,
    ),
  );

  const outcome = await ctx.store.transaction<RoomsDb, { rows: RequestTable[]; fresh: boolean }>(
    async (trx) => {
      const inserted = await trx
        .insertInto('async_groups')
        .values({
          group_request_id: groupRequestId,
          group_name: group,
          requester: input.requester,
          created_at: now,
        })
        .onConflict((oc) => oc.column('group_request_id').doNothing())
        .returning('group_request_id')
        .execute();
      if (inserted.length === 0) {
        const existing = await trx
          .selectFrom('async_requests')
          .selectAll()
          .where('group_request_id', '=', groupRequestId)
          .orderBy('room')
          .execute();
        return { rows: existing, fresh: false };
      }
      await insertRows(ctx, trx, rows, now);
      return { rows, fresh: true };
    },
    { signal },
  );

  if (!outcome.fresh) {
    const members = outcome.rows.map((r) => ({
      requestId: r.request_id,
      status: effectiveStatus(r, now),
      duplicate: true,
    }));
    return { groupRequestId, members };
  }
  await appendAll(
    ctx,
    rows.map((r) =>
      transitionRecord('async.submit', r.requester, r, { byRequester: true, status: 'waiting' }),
    ),
  );
  const created = new Set(rows.map((r) => r.request_id));
  return { groupRequestId, members: submitResults(rows, created, new Map()) };
}

/**
 * The state of a group request: complete when every member is final; each member's status says
 * which answered, declined, expired or was cancelled.
 *
 * @throws AsyncError `ASYNC_REQUEST_UNKNOWN`.
 */
export async function groupStatus(ctx: RoomsContext, groupRequestId: string): Promise<GroupStatus> {
  const db = ctx.store.db<RoomsDb>();
  const group = await db
    .selectFrom('async_groups')
    .selectAll()
    .where('group_request_id', '=', groupRequestId)
    .executeTakeFirst();
  if (!group) {
    throw new AsyncError('ASYNC_REQUEST_UNKNOWN', 'No group request with this id exists.', {
      context: { requestId: groupRequestId },
    });
  }
  const rows = await db
    .selectFrom('async_requests')
    .select(['request_id', 'room', 'status', 'lease_until'])
    .where('group_request_id', '=', groupRequestId)
    .orderBy('room')
    .execute();

  const now = ctx.clock.now();
  const members = rows.map((r) => ({
    room: r.room,
    requestId: r.request_id,
    status: effectiveStatus(r, now),
  }));
  return {
    groupRequestId,
    group: group.group_name,
    complete: members.every((m) => FINAL_STATUSES.has(m.status)),
    members,
  };
}
