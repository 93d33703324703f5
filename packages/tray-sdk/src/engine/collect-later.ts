// Asks sources that answer later for the answers that arrived, and records each exactly once.

import type { Source } from '../catalogue/define-catalogue.js';
import type { EngineContext } from './engine-context.js';
import { openEnquiries, sourcesWaiting } from './enquiry-rows.js';
import { applyOutcome } from './record-outcome.js';

/**
 * One round of collection: for every source with waiting enquiries whose connector can
 * `collect()`, fetch the new outcomes and record those of enquiries still open. An outcome for an
 * enquiry already final (answered twice, or past its deadline) is dropped.
 */
export async function collectLater(ctx: EngineContext, signal: AbortSignal): Promise<number> {
  let recorded = 0;
  for (const id of await sourcesWaiting(ctx.db)) {
    const source = ctx.catalogue.source(id);
    if (!source) continue;
    recorded += await collectSource(ctx, source, signal);
  }
  return recorded;
}

async function collectSource(
  ctx: EngineContext,
  source: Source,
  signal: AbortSignal,
): Promise<number> {
  const connector = ctx.connectorFor(source);
  if (!connector.collect) return 0;
  // Answers are recorded before the next collect() call; connectors acknowledge a batch to the
  // source only on that next call, so a crash in between has the batch delivered again.
  const outcomes = await connector.collect(source, { signal, clock: ctx.clock });
  const rows = await openEnquiries(
    ctx.db,
    outcomes.map((o) => o.requestId),
  );
  const byId = new Map(rows.map((row) => [row.request_id, row]));
  let recorded = 0;
  for (const outcome of outcomes) {
    const row = byId.get(outcome.requestId);
    if (!row || outcome.status === 'waiting' || row.source !== source.id) continue;
    const result = await applyOutcome(ctx, source, row, outcome, { leased: false });
    if (result === 'final') recorded += 1;
  }
  return recorded;
}
