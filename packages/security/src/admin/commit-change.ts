// Runs one registry change: a transaction that takes the next generation, applies the change and
// appends it to the history; then notes the generation and trails the change with who made it.

import type { Kysely } from 'kysely';
import { SecurityError } from '../errors.js';
import type { RightsInternals } from '../rights/rights-internals.js';
import type { RightsDb } from '../rights/tables.js';
import {
  RIGHTS_ADMIN_SOURCE,
  type ChangeContext,
  type RegisteredPrincipal,
  type Right,
  type RightsChange,
  type RightsEntityKind,
  type RoleAssignment,
} from '../rights/types.js';
import { checkId, checkText } from '../rights/validate-input.js';

/** What a change function reports: the entity after the change. */
export interface ChangeOutcome<T extends RegisteredPrincipal | Right | RoleAssignment> {
  /** e.g. `right.grant`. */
  change: string;
  entityKind: RightsEntityKind;
  state: T;
}

/** A change applied inside the transaction, at clock time `now`. */
export type ChangeFn<T extends RegisteredPrincipal | Right | RoleAssignment> = (
  trx: Kysely<RightsDb>,
  now: number,
) => Promise<ChangeOutcome<T>>;

/**
 * Commits one change and records it.
 *
 * 1. Check who and why (before anything is written).
 * 2. In one transaction: increment the generation row first (on PostgreSQL its row lock orders
 *    concurrent changes, so the uniqueness checks in `fn` cannot race), apply `fn`, append the
 *    change with the entity's state to `rights_changes`.
 * 3. After commit: drop this process's cached decisions, then trail the change.
 *
 * @throws SecurityError `RIGHTS_INPUT_INVALID` (no actor or reason), whatever `fn` throws (nothing
 *   is written then), `RIGHTS_TRAIL_FAILED` (the change is committed and in the history, but not
 *   in the trail: `context.generation` names it).
 */
export async function commitChange<T extends RegisteredPrincipal | Right | RoleAssignment>(
  internals: RightsInternals,
  context: ChangeContext,
  fn: ChangeFn<T>,
): Promise<T> {
  const by = {
    principal: checkId(context?.by?.principal, 'by.principal'),
    official:
      context.by.official === undefined
        ? undefined
        : checkText(context.by.official, 'by.official', 200),
  };
  const reason = checkText(context.reason, 'reason', 500);
  context.signal?.throwIfAborted();

  const change = await internals.store.transaction<RightsDb, RightsChange>(
    async (trx) => {
      const bumped = await trx
        .updateTable('rights_generation')
        .set((eb) => ({ generation: eb('generation', '+', 1) }))
        .where('id', '=', 1)
        .returning('generation')
        .executeTakeFirstOrThrow();
      const generation = Number(bumped.generation);
      const now = internals.clock.now();
      const outcome = await fn(trx, now);

      await trx
        .insertInto('rights_changes')
        .values({
          generation,
          at: now,
          change: outcome.change,
          entity_kind: outcome.entityKind,
          entity_id: outcome.state.id,
          version: outcome.state.version,
          actor_principal: by.principal,
          actor_official: by.official ?? null,
          reason,
          state: JSON.stringify(outcome.state),
        })
        .execute();
      return {
        generation,
        at: new Date(now).toISOString(),
        change: outcome.change,
        entityKind: outcome.entityKind,
        entityId: outcome.state.id,
        version: outcome.state.version,
        by,
        reason,
        state: outcome.state,
      };
    },
    { signal: context.signal },
  );

  internals.observeGeneration(change.generation);
  await trailChange(internals, change);
  return change.state as T;
}

async function trailChange(internals: RightsInternals, change: RightsChange): Promise<void> {
  try {
    await internals.trail.append({
      action: 'administer',
      principal: change.by.principal,
      official: change.by.official,
      source: RIGHTS_ADMIN_SOURCE,
      details: {
        change: change.change,
        entityKind: change.entityKind,
        entityId: change.entityId,
        version: change.version,
        generation: change.generation,
        reason: change.reason,
      },
    });
  } catch (cause) {
    // TODO(rights-outbox): the change is committed but not trailed; an outbox row written in the
    // change transaction and flushed to the trail would make the pair atomic.
    throw new SecurityError('RIGHTS_TRAIL_FAILED', 'The change was made but not trailed.', {
      context: { generation: change.generation, change: change.change },
      cause,
    });
  }
}

/** The error of a change that does not apply to the entity's current state. */
export function transitionInvalid(what: string, id: string, status: string): SecurityError {
  return new SecurityError(
    'RIGHTS_TRANSITION_INVALID',
    `The ${what} is ${status}; the change does not apply.`,
    {
      context: { id, status },
    },
  );
}

/** The error of an unknown id. */
export function notFound(what: string, id: string): SecurityError {
  return new SecurityError('RIGHTS_NOT_FOUND', `No ${what} has this id.`, { context: { id } });
}

/** The error of a taken id, identifier or registration. */
export function duplicate(what: string, context: Record<string, string>): SecurityError {
  return new SecurityError('RIGHTS_DUPLICATE', `The ${what} is already registered.`, { context });
}
