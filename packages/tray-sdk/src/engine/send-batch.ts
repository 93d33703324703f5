// Sends one batch through its connector with the attempt's timeout, and completes its outcomes.

import { TrayError } from '../errors.js';
import type { Source } from '../catalogue/define-catalogue.js';
import type { Enquiry, RawOutcome } from '../connectors/connector.js';
import type { EngineContext } from './engine-context.js';
import type { EnquiryRow } from './tables.js';

/**
 * Calls the connector with a signal that aborts at the source timeout, at the earliest deadline of
 * the batch, when the Tray stops, or when the (single) case of the batch is cancelled. A connector
 * that does not return by then is left behind: its enquiries fail with `TRAY_SOURCE_TIMEOUT`
 * (retryable). Every enquiry of the batch gets exactly one outcome: a missing one is a retryable
 * `TRAY_ANSWER_MISSING`, a connector that throws gives `TRAY_CONNECTOR_FAILED`.
 */
export async function sendBatch(
  ctx: EngineContext,
  source: Source,
  batch: readonly EnquiryRow[],
  enquiries: readonly Enquiry[],
): Promise<Map<string, RawOutcome>> {
  const now = ctx.clock.now();
  const earliest = Math.min(...batch.map((row) => row.deadline));
  const timeoutMs = Math.max(1, Math.min(source.limits.timeoutMs, earliest - now));
  const timeout = AbortSignal.timeout(timeoutMs);
  const caseIds = new Set(batch.map((row) => row.case_id));
  const signals = [timeout, ctx.stopSignal];
  if (caseIds.size === 1) signals.push(ctx.caseSignal(batch[0]!.case_id));
  const signal = AbortSignal.any(signals);

  let raw: RawOutcome[] | undefined;
  let failure: { code: string; retryable: boolean } | undefined;
  try {
    raw = await untilAborted(
      ctx.connectorFor(source).send(enquiries, {
        source,
        signal,
        attempt: Math.max(...batch.map((row) => row.attempts)),
        clock: ctx.clock,
      }),
      signal,
    );
  } catch (err) {
    failure = signal.aborted
      ? { code: abortCode(timeout, ctx.stopSignal), retryable: true }
      : { code: 'TRAY_CONNECTOR_FAILED', retryable: false };
    if (!signal.aborted) ctx.logger.warn({ err, source: source.id }, 'tray connector threw');
  }

  const byId = new Map<string, RawOutcome>();
  for (const outcome of raw ?? []) {
    if (batch.some((row) => row.request_id === outcome?.requestId)) {
      byId.set(outcome.requestId, outcome);
    }
  }
  for (const row of batch) {
    if (byId.has(row.request_id)) continue;
    const reason = failure ?? { code: 'TRAY_ANSWER_MISSING', retryable: true };
    byId.set(row.request_id, {
      requestId: row.request_id,
      status: 'failed',
      reason: { code: reason.code },
      retryable: reason.retryable,
    });
  }
  return byId;
}

function abortCode(timeout: AbortSignal, stop: AbortSignal): string {
  if (timeout.aborted) return 'TRAY_SOURCE_TIMEOUT';
  return stop.aborted ? 'TRAY_ABORTED' : 'TRAY_CASE_CANCELLED';
}

/**
 * Resolves with `work`, or rejects as soon as `signal` aborts (the work is left to finish alone).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function abortError(): TrayError {
  return new TrayError('TRAY_ABORTED', 'The attempt was aborted.');
}
