// openWaitingRooms(): migrates the store and returns the waiting rooms of one hub or data owner.

import type { WaitingRooms, WaitingRoomsOptions } from '../types.js';
import { answerRequests, declineRequests } from './answer.js';
import { cancelRequest } from './cancel.js';
import { lateRequests, sweep } from './deadlines.js';
import { acknowledgeAnswers, markDelivered, nextDeliveries, pullAnswers } from './deliveries.js';
import { groupStatus, submitGroup } from './group.js';
import { extendLease, leaseRequests, listWaiting } from './lease.js';
import { resolveOptions } from './resolve-options.js';
import { ROOMS_MIGRATIONS } from './schema.js';
import { submitRequests } from './submit.js';

/**
 * Opens the waiting rooms over a store (SQLite for one process; PostgreSQL for many processes on
 * both sides). Applies the migrations of namespace `async-module`. The store and the trail stay
 * the caller's: `close()` does not close them.
 *
 * @param options - store, trail, rooms, groups, clock, lateness shares.
 * @throws AsyncError `ASYNC_OPTIONS_INVALID`; CoreError `CORE_MIGRATION_*`.
 * @example
 * ```ts
 * const rooms = await openWaitingRooms({
 *   store, trail, groups: { banks: ['bank.a.balances', 'bank.b.balances'] },
 *   rooms: [{ id: 'bank.a.balances', owner: 'bank-a', answerSchema }, ...],
 * });
 * await rooms.submit([{ query, requester: 'centre', deadline }]);
 * const lease = await rooms.lease('bank.a.balances', 'bank-a', { max: 100, visibilityMs: 60_000 });
 * await rooms.answer('bank.a.balances', 'bank-a', lease.requests.map(toAnswer));
 * const { answers, next } = await rooms.pull('centre', { limit: 100 });
 * if (next) await rooms.acknowledge('centre', next);
 * ```
 */
export async function openWaitingRooms(options: WaitingRoomsOptions): Promise<WaitingRooms> {
  const ctx = resolveOptions(options);
  await ctx.store.migrate(ROOMS_MIGRATIONS);

  return {
    submit: (inputs, o) => submitRequests(ctx, inputs, o?.signal),
    submitToGroup: (group, input, o) => submitGroup(ctx, group, input, o?.signal),
    cancel: (requestId, requester, o) => cancelRequest(ctx, requestId, requester, o?.signal),
    lease: (room, source, o) => leaseRequests(ctx, room, source, o),
    extendLease: (leaseId, source, visibilityMs) => extendLease(ctx, leaseId, source, visibilityMs),
    answer: (room, source, answers) => answerRequests(ctx, room, source, answers),
    decline: (room, source, declines) => declineRequests(ctx, room, source, declines),
    pull: (requester, o) => pullAnswers(ctx, requester, o),
    acknowledge: (requester, cursor) => acknowledgeAnswers(ctx, requester, cursor),
    groupStatus: (groupRequestId) => groupStatus(ctx, groupRequestId),
    sweep: () => sweep(ctx),
    late: (o) => lateRequests(ctx, o),
    nextDeliveries: (o) => nextDeliveries(ctx, o),
    markDelivered: (reports) => markDelivered(ctx, reports),
    waiting: (room, source, o) => listWaiting(ctx, room, source, o),
    room: (id) => ctx.rooms.get(id)?.declaration,
    close: async () => undefined,
  };
}
