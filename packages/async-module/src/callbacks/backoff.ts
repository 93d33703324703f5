// Jittered exponential backoff: how long to wait before the next attempt of a delivery.

/** Backoff settings of callback delivery. */
export interface BackoffOptions {
  /** Delay before the second attempt, in ms. Default 500. */
  baseMs?: number;
  /** Longest delay, in ms. Default 5 minutes. */
  maxMs?: number;
}

/**
 * The delay after failed attempt `attempt` (1 for the first): the exponential step
 * `base * 2^(attempt-1)` capped at `max`, of which a random half is kept ("equal jitter"), so
 * that many deliverers retrying the same receiver spread out instead of arriving together.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 300_000;
  const step = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Waits `ms`, or rejects when the signal aborts. */
export function waitFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
