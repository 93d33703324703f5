// Cancelling a request, or every unfinished member of a group request, by its requester.

import { AsyncError } from '../errors.js';
import type { RoomsContext } from './context.js';
import { FINAL_STATUSES } from './rows.js';
import type { RequestTable, RoomsDb } from './schema.js';
import { appendAll, transitionRecord } from './trail-records.js';

/**
 * Cancels: the request becomes `cancelled`, its query payload is deleted, no answer is delivered.
 * Cancelling a cancelled request changes nothing.
 *
 * @throws AsyncError `ASYNC_REQUEST_UNKNOWN`, `ASYNC_REQUEST_FOREIGN` (another requester's),
 *   `ASYNC_REQUEST_FINAL` (a single request that is already answered, declined or expired).
 */
export async function cancelRequest(
  ctx: RoomsContext,
  requestId: string,
  requester: string,
  signal?: AbortSignal,
): Promise<void> {
  const now = ctx.clock.now();
  const cancelled = await ctx.store.transaction<RoomsDb, RequestTable[]>(
    async (trx) => {
      let rows = await ctx.dialect.lockRequests(trx, [requestId]);
      const single = rows.length > 0;
      if (!single) {
        const group = await trx
          .selectFrom('async_requests')
          .select('request_id')
          .where('group_request_id', '=', requestId)
          .execute();
        rows = await ctx.dialect.lockRequests(
          trx,
          group.map((r) => r.request_id),
        );
      }
      if (rows.length === 0) {
        throw new AsyncError('ASYNC_REQUEST_UNKNOWN', 'No request with this id exists.', {
          context: { requestId },
        });
      }
      if (rows.some((r) => r.requester !== requester)) {
        throw new AsyncError('ASYNC_REQUEST_FOREIGN', 'The request belongs to another requester.', {
          context: { requestId },
        });
      }
      const first = rows[0] as RequestTable;
      if (single && first.status !== 'cancelled' && FINAL_STATUSES.has(first.status)) {
        throw new AsyncError('ASYNC_REQUEST_FINAL', 'The request is already final.', {
          context: { requestId, status: first.status },
        });
      }

      const open = rows.filter((r) => !FINAL_STATUSES.has(r.status));
      if (open.length > 0) {
        await trx
          .updateTable('async_requests')
          .set({
            status: 'cancelled',
            query: null,
            available_at: null,
            next_check_at: null,
            final_at: now,
          })
          .where(
            'request_id',
            'in',
            open.map((r) => r.request_id),
          )
          .execute();
      }
      return open;
    },
    { signal },
  );

  await appendAll(
    ctx,
    cancelled.map((r) => transitionRecord('async.cancel', requester, r, { byRequester: true })),
  );
}
