// Per-consumer rate limits: a token bucket per consumer, refilled continuously.

import type { Clock } from '@interop-blocks/core';

/** A rate: tokens added per second and the bucket size (the burst allowed). */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/**
 * Token buckets keyed by consumer. Each process keeps its own buckets: behind a load balancer with
 * n replicas a consumer gets up to n times its limit.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #clock: Clock;
  readonly #defaultLimit: RateLimit | undefined;
  readonly #limits: ReadonlyMap<string, RateLimit>;

  constructor(
    clock: Clock,
    defaultLimit?: RateLimit,
    limits: ReadonlyMap<string, RateLimit> = new Map(),
  ) {
    this.#clock = clock;
    this.#defaultLimit = defaultLimit;
    this.#limits = limits;
  }

  /**
   * Takes `cost` tokens for `consumer`; returns 0 when allowed, else the milliseconds until enough
   * tokens are back.
   */
  take(consumer: string, cost: number): number {
    const limit = this.#limits.get(consumer) ?? this.#defaultLimit;
    if (!limit) return 0;

    const now = this.#clock.now();
    const bucket = this.#buckets.get(consumer) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond,
    );
    bucket.at = now;
    this.#buckets.set(consumer, bucket);

    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.ceil(((cost - bucket.tokens) / limit.perSecond) * 1000);
  }
}
