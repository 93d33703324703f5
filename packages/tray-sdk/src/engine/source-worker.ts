// One worker per source: leases due enquiries in batches and sends them within the source's limits.

import type { Source } from '../catalogue/define-catalogue.js';
import type { Enquiry, RawOutcome } from '../connectors/connector.js';
import { breakerChange, enquiryStart } from './channels.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { EngineContext } from './engine-context.js';
import { nextDue, reschedule } from './enquiry-rows.js';
import { leaseDue } from './lease-enquiries.js';
import { RateLimiter } from './rate-limiter.js';
import { applyOutcome } from './record-outcome.js';
import { sendBatch } from './send-batch.js';
import type { EnquiryRow } from './tables.js';
import { queryRecord } from './trail-records.js';

/** Extra lease time beyond the attempt timeout, for recording the outcome. */
const LEASE_MARGIN_MS = 2_000;

/**
 * Sends the enquiries of one source: at most `concurrency` batches in flight, each of at most
 * `batchSize` enquiries gathered for `batchWindowMs`, at most `ratePerSecond` batches a second,
 * nothing while the breaker is open (one probe when half-open).
 */
export class SourceWorker {
  readonly source: Source;
  readonly breaker: CircuitBreaker;
  readonly #ctx: EngineContext;
  readonly #rate: RateLimiter;
  readonly #pollMs: number;
  #inFlight = 0;
  #pumping: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #running = false;
  readonly #attempts = new Set<Promise<void>>();

  constructor(ctx: EngineContext, source: Source, pollMs: number) {
    this.#ctx = ctx;
    this.source = source;
    this.#pollMs = pollMs;
    this.#rate = new RateLimiter(source.limits.ratePerSecond, ctx.clock);
    this.breaker = new CircuitBreaker(
      {
        failures: source.limits.breakerFailures,
        halfOpenAfterMs: source.limits.breakerHalfOpenAfterMs,
        clock: ctx.clock,
      },
      (state) => {
        if (breakerChange.hasSubscribers) breakerChange.publish({ source: source.id, state });
      },
    );
  }

  start(): void {
    this.#running = true;
    this.wake();
  }

  /** Stops leasing; waits for the attempts in flight (aborted by the Tray's stop signal). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimer();
    await this.#pumping;
    await Promise.allSettled([...this.#attempts]);
  }

  /** New work may be due: look after the batching window. */
  wake(): void {
    this.#schedule(this.source.limits.batchWindowMs);
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    const at = this.#ctx.clock.now() + ms;
    if (this.#timer && this.#timerAt <= at) return;
    this.#clearTimer();
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      void this.#pump();
    }, ms);
    this.#timer.unref?.();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true;
      return this.#pumping;
    }
    const run = this.#drain().finally(() => {
      if (this.#pumping === run) this.#pumping = undefined;
    });
    this.#pumping = run;
    return run;
  }

  async #drain(): Promise<void> {
    await Promise.resolve();
    try {
      do {
        this.#again = false;
        await this.#fill();
      } while (this.#again && this.#running);
    } catch (err) {
      this.#ctx.logger.error({ err, source: this.source.id }, 'tray worker could not lease');
      this.#schedule(this.#pollMs);
    }
  }

  async #fill(): Promise<void> {
    const limits = this.source.limits;
    while (this.#running && this.#inFlight < limits.concurrency) {
      if (!this.breaker.tryAcquire()) {
        this.#schedule(Math.max(1, Math.min(this.breaker.msUntilProbe, this.#pollMs)));
        return;
      }
      const wait = this.#rate.take();
      if (wait > 0) {
        this.breaker.release();
        this.#schedule(wait);
        return;
      }

      const now = this.#ctx.clock.now();
      const batch = await leaseDue(this.#ctx.db, this.#ctx.backend, {
        source: this.source.id,
        owner: this.#ctx.workerId,
        now,
        until: now + limits.timeoutMs + LEASE_MARGIN_MS,
        limit: limits.batchSize,
      });
      if (batch.length === 0) {
        this.breaker.release();
        this.#rate.refund();
        const due = await nextDue(this.#ctx.db, this.source.id);
        const ms = due === undefined ? this.#pollMs : due - this.#ctx.clock.now();
        this.#schedule(Math.max(1, Math.min(ms, this.#pollMs)));
        return;
      }

      this.#inFlight += 1;
      const attempt = this.#attempt(batch).finally(() => {
        this.#inFlight -= 1;
        this.#attempts.delete(attempt);
        this.#schedule(0);
      });
      this.#attempts.add(attempt);
    }
  }

  async #attempt(batch: EnquiryRow[]): Promise<void> {
    const ctx = this.#ctx;
    try {
      const enquiries = await this.#prepare(batch);
      const outcomes = await sendBatch(ctx, this.source, batch, enquiries);
      if (ctx.stopSignal.aborted) {
        // Stopping is not the source's fault: the enquiries go back to the queue as they were.
        const now = ctx.clock.now();
        await Promise.all(
          batch.map((row) => reschedule(ctx.db, row, ctx.workerId, now, 'TRAY_ABORTED')),
        );
        return;
      }
      this.#account(outcomes);
      await Promise.all(
        batch.map((row) => {
          const outcome = outcomes.get(row.request_id)!;
          return applyOutcome(ctx, this.source, row, outcome, { leased: true });
        }),
      );
    } catch (err) {
      // A store or trail failure: the leases run out and another attempt takes the enquiries.
      this.breaker.release();
      ctx.logger.error({ err, source: this.source.id }, 'tray attempt could not be recorded');
    }
  }

  /** Builds the wire enquiries and trails each attempt before anything is sent. */
  async #prepare(batch: EnquiryRow[]): Promise<Enquiry[]> {
    const ctx = this.#ctx;
    const issuedAt = new Date(ctx.clock.now()).toISOString();
    return Promise.all(
      batch.map(async (row) => {
        const c = await ctx.caseRow(row.case_id);
        if (!c) throw new Error('An enquiry without its case.');
        await ctx.trail.append(queryRecord(ctx.organisation, c, row));
        if (enquiryStart.hasSubscribers) {
          enquiryStart.publish({
            source: row.source,
            requestId: row.request_id,
            attempt: row.attempts,
          });
        }
        return {
          requestId: row.request_id,
          caseId: row.case_id,
          source: row.source,
          subject: { scheme: row.subject_scheme, id: row.subject_id },
          purpose: c.purpose,
          legalBasis: c.legal_basis,
          case: c.case_ref,
          organisation: c.organisation,
          official: c.official,
          issuedAt,
          ...(row.period_from && row.period_to
            ? { period: { from: row.period_from, to: row.period_to } }
            : {}),
          ...(row.reference_date ? { referenceDate: row.reference_date } : {}),
        };
      }),
    );
  }

  /** A batch counts against the source only when every enquiry in it failed retryably. */
  #account(outcomes: Map<string, RawOutcome>): void {
    const all = [...outcomes.values()];
    const failing = all.every((o) => o.status === 'failed' && o.retryable);
    if (failing) this.breaker.failure();
    else this.breaker.success();
  }
}
