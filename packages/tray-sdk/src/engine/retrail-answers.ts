// Trails the answers a crash left recorded but not yet in the trail.

import type { Evidence } from '../connectors/connector.js';
import type { EngineContext } from './engine-context.js';
import { untrailedAnswers } from './enquiry-rows.js';
import { trailAnswer } from './record-outcome.js';
import type { FinalEnquiryStatus } from './tables.js';

/** How long an answer may wait for its trail record before another process appends it. */
export const TRAIL_GRACE_MS = 60_000;

/**
 * Appends the answer records still missing: on start, those this worker recorded in an earlier
 * run; in every round, those anyone recorded more than {@link TRAIL_GRACE_MS} ago. Returns how
 * many it appended.
 */
export async function retrailAnswers(
  ctx: EngineContext,
  options: { ownEarlierRun: boolean },
): Promise<number> {
  const before = ctx.clock.now() - TRAIL_GRACE_MS;
  const owner = options.ownEarlierRun ? ctx.workerId : undefined;
  const rows = await untrailedAnswers(ctx.db, before, 500, owner);
  for (const row of rows) {
    await trailAnswer(ctx, row, {
      status: row.status as FinalEnquiryStatus,
      reasonCode: row.reason_code ?? undefined,
      evidence: row.evidence ? (JSON.parse(row.evidence) as Evidence) : undefined,
      version: row.data_version ?? undefined,
    });
  }
  return rows.length;
}
