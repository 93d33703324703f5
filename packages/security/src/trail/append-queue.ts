// Group commit: a bounded queue of appends, flushed in batches, each promise settled after COMMIT.

import { SecurityError } from '../errors.js';

/** Limits of the queue. */
export interface AppendQueueLimits {
  /** Records written in one transaction. */
  maxRecords: number;
  /** How long the first queued record waits for companions. */
  maxDelayMs: number;
  /** Records queued at most; further appends wait for room. */
  maxQueued: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Queues items and hands them to `write` in batches, one batch at a time. Each enqueue resolves
 * with its own result once `write` (a committed transaction) resolved for its batch; a failed
 * batch rejects all of its items with `TRAIL_APPEND_FAILED`.
 */
export class AppendQueue<T, R> {
  readonly #limits: AppendQueueLimits;
  readonly #write: (items: T[]) => Promise<R[]>;
  readonly #afterBatch: () => Promise<void>;
  #pending: Pending<T, R>[] = [];
  #waitingForRoom: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(
    limits: AppendQueueLimits,
    write: (items: T[]) => Promise<R[]>,
    afterBatch: () => Promise<void>,
  ) {
    this.#limits = limits;
    this.#write = write;
    this.#afterBatch = afterBatch;
  }

  /** Items queued and not yet being written. */
  get size(): number {
    return this.#pending.length;
  }

  /**
   * Queues `item`; waits for room when the queue is full.
   * @throws SecurityError `TRAIL_APPEND_ABORTED` when `signal` aborts before the batch is taken.
   */
  enqueue(item: T, signal?: AbortSignal): Promise<R> {
    if (this.#pending.length < this.#limits.maxQueued && !signal?.aborted) {
      return this.#push(item, signal);
    }
    return this.#enqueueWhenRoom(item, signal);
  }

  async #enqueueWhenRoom(item: T, signal: AbortSignal | undefined): Promise<R> {
    while (this.#pending.length >= this.#limits.maxQueued) await this.#room(signal);
    if (signal?.aborted) throw aborted(signal);
    return this.#push(item, signal);
  }

  #push(item: T, signal: AbortSignal | undefined): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const entry: Pending<T, R> = { item, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        entry.onAbort = () => {
          const at = this.#pending.indexOf(entry);
          if (at < 0) return; // already taken into a batch: it will be written
          this.#pending.splice(at, 1);
          reject(aborted(signal));
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.#pending.push(entry);
      this.#schedule();
    });
  }

  /** Writes everything queued now and waits until it is committed. */
  async flush(): Promise<void> {
    this.#clearTimer();
    while (this.#pending.length > 0 || this.#flushing) {
      if (!this.#flushing) this.#flushing = this.#drain();
      await this.#flushing;
    }
  }

  #schedule(): void {
    if (this.#flushing) return; // the running drain takes it
    if (this.#pending.length >= this.#limits.maxRecords || this.#limits.maxDelayMs <= 0) {
      this.#clearTimer();
      this.#flushing = this.#drain();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      if (!this.#flushing && this.#pending.length > 0) this.#flushing = this.#drain();
    }, this.#limits.maxDelayMs);
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        this.#clearTimer();
        const batch = this.#pending.splice(0, this.#limits.maxRecords);
        for (const entry of batch) {
          if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
        }
        this.#wakeWaiters();

        let results: R[] | undefined;
        try {
          results = await this.#write(batch.map((e) => e.item));
        } catch (cause) {
          const err = new SecurityError(
            'TRAIL_APPEND_FAILED',
            'The batch could not be written; none of its records was stored.',
            { context: { records: batch.length }, cause },
          );
          for (const entry of batch) entry.reject(err);
        }
        if (results) batch.forEach((entry, i) => entry.resolve(results[i] as R));
        await this.#afterBatch().catch(() => undefined);
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  #room(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal));
      const onAbort = () => {
        this.#waitingForRoom = this.#waitingForRoom.filter((w) => w !== wake);
        reject(aborted(signal as AbortSignal));
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waitingForRoom.push(wake);
    });
  }

  #wakeWaiters(): void {
    const waiting = this.#waitingForRoom;
    this.#waitingForRoom = [];
    for (const wake of waiting) wake();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function aborted(signal: AbortSignal): SecurityError {
  return new SecurityError(
    'TRAIL_APPEND_ABORTED',
    'The append was aborted before it was written.',
    {
      cause: signal.reason,
    },
  );
}
