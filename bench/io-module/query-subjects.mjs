// Deterministic choice of the subjects the query benchmark asks about: uniform over the loaded
// subjects, with a share of valid personal numbers that were never loaded (answered not_found).
import { syntheticEmso } from './synthetic-income.mjs';

/** syntheticEmso(n) is distinct and valid for n below this. */
const EMSO_SPACE = 3_650_000;

/** Mulberry32: a small seeded generator of floats in [0, 1). */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A function returning the next subject's personal number: known with probability
 * 1 - unknownShare (uniform over 0..loaded-1), else one of loaded..EMSO_SPACE-1.
 */
export function subjectPicker({ loaded, seed, unknownShare = 0.1 }) {
  const next = seeded(seed);
  return () => {
    const n =
      next() < unknownShare
        ? loaded + Math.floor(next() * (EMSO_SPACE - loaded))
        : Math.floor(next() * loaded);
    return syntheticEmso(n);
  };
}
