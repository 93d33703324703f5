// UUIDv7 ids: time-ordered, so that ids sort by creation and index well.

import { v7 } from 'uuid';
import { systemClock, type Clock } from './clock.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A new UUIDv7 taking its time from `clock` (default: the system clock).
 *
 * @example
 * ```ts
 * const requestId = newId();
 * ```
 */
export function newId(clock: Clock = systemClock): string {
  return v7({ msecs: clock.now() });
}

/** True when `value` is a lower-case UUIDv7 string. */
export function isUuidV7(value: unknown): value is string {
  return typeof value === 'string' && UUID_V7.test(value);
}

/** The creation time (epoch milliseconds) carried in a UUIDv7. */
export function uuidV7Time(id: string): number {
  if (!isUuidV7(id)) throw new RangeError('Not a UUIDv7.');
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
