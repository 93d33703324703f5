// Leasing requests to a source: a visibility timeout, extendable; an expired lease returns them.

import { newId } from '@interop-blocks/core';
import { AsyncError } from '../errors.js';
import type { Lease, RoomRequest } from '../types.js';
import type { ResolvedRoom, RoomsContext } from './context.js';
import { toRoomRequest } from './rows.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { appendAll, transitionRecord } from './trail-records.js';

const MAX_LEASE = 10_000;

/**
 * The room, when `source` owns it.
 *
 * @throws AsyncError `ASYNC_ROOM_UNKNOWN`, `ASYNC_SOURCE_FORBIDDEN`.
 */
export function ownedRoom(ctx: RoomsContext, room: string, source: string): ResolvedRoom {
  const resolved = ctx.rooms.get(room);
  if (!resolved) {
    throw new AsyncError('ASYNC_ROOM_UNKNOWN', 'No room of that id is declared.', {
      context: { room },
    });
  }
  if (resolved.declaration.owner !== source) {
    throw new AsyncError('ASYNC_SOURCE_FORBIDDEN', 'Only the owner of a room works in it.', {
      context: { room },
    });
  }
  return resolved;
}

function checkVisibility(visibilityMs: number): void {
  if (!Number.isSafeInteger(visibilityMs) || visibilityMs <= 0) {
    throw new AsyncError(
      'ASYNC_OPTIONS_INVALID',
      'A visibility timeout is a positive integer (ms).',
    );
  }
}

/**
 * Leases up to `max` requests of a room, oldest first: waiting ones and ones whose earlier lease
 * expired. They stay hidden from other leasers until `until`, unless answered or extended.
 *
 * @throws AsyncError `ASYNC_ROOM_UNKNOWN`, `ASYNC_SOURCE_FORBIDDEN`, `ASYNC_OPTIONS_INVALID`.
 */
export async function leaseRequests(
  ctx: RoomsContext,
  room: string,
  source: string,
  options: { max: number; visibilityMs: number; signal?: AbortSignal },
): Promise<Lease> {
  ownedRoom(ctx, room, source);
  if (!Number.isSafeInteger(options.max) || options.max < 1 || options.max > MAX_LEASE) {
    throw new AsyncError('ASYNC_OPTIONS_INVALID', `A lease takes 1 to ${MAX_LEASE} requests.`);
  }
  checkVisibility(options.visibilityMs);

  const now = ctx.clock.now();
  const leaseId = newId(ctx.clock);
  const until = now + options.visibilityMs;
  options.signal?.throwIfAborted();
  const rows = await ctx.dialect.batch(ctx.store, (db) =>
    ctx.dialect.leaseBatch(db, { room, now, max: options.max, leaseId, source, until }),
  );

  await appendAll(
    ctx,
    rows.map((r) => transitionRecord('async.lease', source, r)),
  );
  return { leaseId, room, until, requests: rows.map((r) => toRoomRequest(r, now)) };
}

function leaseUnknown(leaseId: string): AsyncError {
  return new AsyncError(
    'ASYNC_LEASE_UNKNOWN',
    'The lease is unknown, not held by this source, expired, or fully answered.',
    { context: { leaseId } },
  );
}

/**
 * Extends a lease that has not expired: its unanswered requests stay hidden `visibilityMs` more.
 *
 * @throws AsyncError `ASYNC_LEASE_UNKNOWN`, `ASYNC_OPTIONS_INVALID`.
 */
export async function extendLease(
  ctx: RoomsContext,
  leaseId: string,
  source: string,
  visibilityMs: number,
): Promise<Lease> {
  checkVisibility(visibilityMs);
  const now = ctx.clock.now();
  const until = now + visibilityMs;

  // A live lease has `available_at` (= `lease_until`) ahead: the rooms' index finds it.
  const owned = [...ctx.rooms.values()]
    .filter((r) => r.declaration.owner === source)
    .map((r) => r.declaration.id);
  if (owned.length === 0) throw leaseUnknown(leaseId);
  const rows = await ctx.store.transaction<RoomsDb, RequestTable[]>((trx) =>
    trx
      .updateTable('async_requests')
      .set({ lease_until: until, available_at: until })
      .where('room', 'in', owned)
      .where('available_at', '>', now)
      .where('lease_id', '=', leaseId)
      .where('lease_source', '=', source)
      .where('status', '=', 'leased')
      .where('lease_until', '>', now)
      .returningAll()
      .execute(),
  );
  if (rows.length === 0) throw leaseUnknown(leaseId);
  const room = rows[0]?.room ?? '';
  return { leaseId, room, until, requests: rows.map((r) => toRoomRequest(r, now)) };
}

/**
 * The unfinished requests of a room, oldest first, without leasing them (the clerk's list).
 *
 * @throws AsyncError `ASYNC_ROOM_UNKNOWN`, `ASYNC_SOURCE_FORBIDDEN`, `ASYNC_OPTIONS_INVALID`.
 */
export async function listWaiting(
  ctx: RoomsContext,
  room: string,
  source: string,
  options: { limit?: number; after?: string } = {},
): Promise<RoomRequest[]> {
  ownedRoom(ctx, room, source);
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LEASE) {
    throw new AsyncError('ASYNC_OPTIONS_INVALID', `A page holds 1 to ${MAX_LEASE} requests.`);
  }
  let query = ctx.store
    .db<RoomsDb>()
    .selectFrom('async_requests')
    .selectAll()
    .where('room', '=', room)
    .where('available_at', 'is not', null)
    .orderBy('request_id')
    .limit(limit);
  if (options.after !== undefined) query = query.where('request_id', '>', options.after);
  const now = ctx.clock.now();
  return (await query.execute()).map((r) => toRoomRequest(r, now));
}
