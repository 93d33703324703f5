// The moving parts of a Tray: one worker per source, case advancement, deadline and collection
// rounds.

import { TrayError } from '../errors.js';
import { closeCase } from './case-rows.js';
import { collectLater } from './collect-later.js';
import type { EngineContext } from './engine-context.js';
import { advanceCase } from './plan-case.js';
import { retrailAnswers } from './retrail-answers.js';
import { SourceWorker } from './source-worker.js';
import { sweepDeadlines } from './sweep-deadlines.js';
import type { TrayEvent } from './types.js';

/** Runs the workers and the periodic rounds of one Tray. Internal. */
export class TrayRuntime {
  readonly #ctx: EngineContext;
  readonly #pollMs: number;
  readonly #collectEveryMs: number;
  readonly #workers = new Map<string, SourceWorker>();
  /** Case id -> the advancement running, and whether another round was asked for meanwhile. */
  readonly #advancing = new Map<string, { done: Promise<void>; again: boolean }>();
  #running = false;
  #roundTimer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #lastCollect = 0;

  constructor(ctx: EngineContext, options: { pollMs: number; collectEveryMs: number }) {
    this.#ctx = ctx;
    this.#pollMs = options.pollMs;
    this.#collectEveryMs = options.collectEveryMs;
    for (const source of ctx.catalogue.sources.values()) {
      this.#workers.set(source.id, new SourceWorker(ctx, source, options.pollMs));
    }
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const worker of this.#workers.values()) worker.start();
    this.#scheduleRound(0);
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#roundTimer) clearTimeout(this.#roundTimer);
    await Promise.allSettled([...this.#workers.values()].map((w) => w.stop()));
    await this.#round?.catch(() => undefined);
    await Promise.allSettled([...this.#advancing.values()].map((a) => a.done));
  }

  wake(source: string): void {
    this.#workers.get(source)?.wake();
  }

  breakerState(source: string): string | undefined {
    return this.#workers.get(source)?.breaker.state;
  }

  /** Advances a case in the background, one round at a time per case. */
  advance(caseId: string): void {
    void this.advanceNow(caseId).catch((err: unknown) => {
      this.#ctx.logger.error({ err, caseId }, 'tray could not advance a case');
    });
  }

  /** Advances a case and resolves when this round (and any asked for meanwhile) is done. */
  advanceNow(caseId: string): Promise<void> {
    const running = this.#advancing.get(caseId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { done: Promise.resolve(), again: false };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await advanceCase(this.#ctx, caseId);
        } while (entry.again);
      } finally {
        this.#advancing.delete(caseId);
      }
    })();
    this.#advancing.set(caseId, entry);
    return entry.done;
  }

  /** Marks a case cancelled once its open enquiries were ended. */
  async cancelCase(caseId: string): Promise<void> {
    if (await closeCase(this.#ctx.db, caseId, 'cancelled', this.#ctx.clock.now())) {
      this.#ctx.emit({ type: 'case', caseId, status: 'cancelled' });
    }
  }

  /** Resolves at the next event of the case, after `pollMs` at the latest, or throws on abort. */
  nextCaseEvent(caseId: string, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (err?: TrayError) => {
        clearTimeout(timer);
        this.#ctx.events.off('event', onEvent);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onEvent = (event: TrayEvent) => {
        if (event.caseId === caseId && event.type === 'case') done();
      };
      const onAbort = () => done(new TrayError('TRAY_ABORTED', 'Waiting was aborted.'));
      const timer = setTimeout(() => done(), this.#pollMs);
      this.#ctx.events.on('event', onEvent);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #scheduleRound(ms: number): void {
    if (!this.#running) return;
    this.#roundTimer = setTimeout(() => {
      this.#round = this.#runRound().finally(() => this.#scheduleRound(this.#pollMs));
    }, ms);
    this.#roundTimer.unref?.();
  }

  /** Ends overdue enquiries and, every `collectEveryMs`, collects answers of later sources. */
  async #runRound(): Promise<void> {
    const ctx = this.#ctx;
    try {
      await sweepDeadlines(ctx, (source) => this.#workers.get(source)?.breaker.state !== 'closed');
      await retrailAnswers(ctx, { ownEarlierRun: false });
      if (ctx.clock.now() - this.#lastCollect >= this.#collectEveryMs) {
        this.#lastCollect = ctx.clock.now();
        await collectLater(ctx, ctx.stopSignal);
      }
    } catch (err) {
      if (!ctx.stopSignal.aborted) ctx.logger.error({ err }, 'tray round failed');
    }
  }
}
