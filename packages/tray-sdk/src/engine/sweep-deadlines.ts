// Ends the enquiries whose deadline passed: waiting ones expire, queued ones fail or expire.

import type { EngineContext } from './engine-context.js';
import { overdueEnquiries } from './enquiry-rows.js';
import { recordAnswer } from './record-outcome.js';
import type { EnquiryRow } from './tables.js';

/**
 * Records a final answer for every open enquiry past its deadline that no live lease holds:
 * - `waiting` (a source that answers later did not): `expired`, `TRAY_ANSWER_EXPIRED`;
 * - queued after failed attempts, or held back by an open breaker: `failed`,
 *   `TRAY_SOURCE_UNAVAILABLE`;
 * - queued and never tried: `expired`, `TRAY_CASE_DEADLINE`.
 * Returns how many it ended.
 */
export async function sweepDeadlines(
  ctx: EngineContext,
  breakerOpen: (source: string) => boolean,
  limit = 500,
): Promise<number> {
  const overdue = await overdueEnquiries(ctx.db, ctx.clock.now(), limit);
  let ended = 0;
  for (const row of overdue) {
    const result = await recordAnswer(ctx, row, finalFor(row, breakerOpen(row.source)));
    if (result === 'final') ended += 1;
  }
  return ended;
}

function finalFor(
  row: EnquiryRow,
  breakerOpen: boolean,
): { status: 'expired' | 'failed'; reasonCode: string } {
  if (row.status === 'waiting') return { status: 'expired', reasonCode: 'TRAY_ANSWER_EXPIRED' };
  if (breakerOpen || row.reason_code !== null) {
    return { status: 'failed', reasonCode: 'TRAY_SOURCE_UNAVAILABLE' };
  }
  return { status: 'expired', reasonCode: 'TRAY_CASE_DEADLINE' };
}
