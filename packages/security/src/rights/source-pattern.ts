// Source patterns of rights: exact source ids, or segment wildcards such as `bank.*`.

import { SecurityError } from '../errors.js';

/** One segment of a source id: lower-case letters and digits, inner `-` or `_`. */
const SEGMENT = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;

/** A source id, as core's `SourceIdSchema` defines it: segments joined by dots. */
const SOURCE_ID = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

const MAX_LENGTH = 128;

/** A parsed source pattern. */
export interface SourcePattern {
  /** The pattern text, e.g. `bank.*`. */
  readonly text: string;
  /** True when `source` (a source id) matches. */
  matches(source: string): boolean;
}

/** True when `value` is a well-formed source id such as `bank.nlb.balances`. */
export function isSourceId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_LENGTH && SOURCE_ID.test(value);
}

/**
 * Parses a source pattern. The syntax, on the dot-separated segments of source ids:
 *
 * - a literal segment (`bank`, `nlb`, `child-benefit`) matches itself;
 * - `*` as the **last** segment matches one or more further segments: `bank.*` matches
 *   `bank.nlb` and `bank.nlb.balances`, not `bank` itself;
 * - `*` in any other position matches exactly one segment: `bank.*.balances` matches
 *   `bank.nlb.balances`, not `bank.nlb.x.balances`;
 * - `*` alone matches every source.
 *
 * No other wildcard exists: `ban*` or `bank.n*` are refused, and so are empty segments, upper case
 * and patterns over 128 characters.
 *
 * @throws SecurityError `RIGHTS_PATTERN_INVALID`.
 * @example
 * ```ts
 * parseSourcePattern('bank.*').matches('bank.nlb.balances'); // true
 * ```
 */
export function parseSourcePattern(text: string): SourcePattern {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_LENGTH) {
    throw invalid('A source pattern is 1 to 128 characters.');
  }
  const segments = text.split('.');
  for (const segment of segments) {
    if (segment !== '*' && !SEGMENT.test(segment)) {
      throw invalid('Each segment of a source pattern is a source id segment or `*`.');
    }
  }

  const last = segments.length - 1;
  const matches = (source: string): boolean => {
    if (!isSourceId(source)) return false;
    const parts = source.split('.');
    // A trailing `*` takes the rest (one or more); elsewhere `*` takes exactly one segment.
    if (
      segments[last] === '*' ? parts.length < segments.length : parts.length !== segments.length
    ) {
      return false;
    }
    return segments.every((s, i) => s === '*' || s === parts[i]);
  };

  return Object.freeze({ text, matches });
}

function invalid(message: string): SecurityError {
  return new SecurityError('RIGHTS_PATTERN_INVALID', message);
}
