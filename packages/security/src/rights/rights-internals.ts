// What the administration API shares with the rights service it changes (not exported publicly).

import type { Clock, Store } from '@interop-blocks/core';
import type { TrailAppender } from '../trail/types.js';
import { SecurityError } from '../errors.js';

/** The parts of a rights service that its administration needs. */
export interface RightsInternals {
  store: Store;
  clock: Clock;
  trail: TrailAppender;
  /** Notes a generation committed through this process: cached decisions are dropped at once. */
  observeGeneration(generation: number): void;
  /** The registry generation as this process knows it (read within the staleness bound). */
  currentGeneration(): Promise<number>;
}

const internals = new WeakMap<object, RightsInternals>();

/** Links a rights service to its internals. */
export function setRightsInternals(rights: object, value: RightsInternals): void {
  internals.set(rights, value);
}

/**
 * The internals of a rights service made by `openRights`.
 * @throws SecurityError `RIGHTS_INPUT_INVALID` for any other object.
 */
export function rightsInternals(rights: object): RightsInternals {
  const found = internals.get(rights);
  if (!found) {
    throw new SecurityError(
      'RIGHTS_INPUT_INVALID',
      'Pass the rights service openRights returned.',
      {
        context: { field: 'rights' },
      },
    );
  }
  return found;
}
