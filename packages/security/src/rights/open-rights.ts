// The rights service: authorize() with a decision cache kept in step with the registry.

import { systemClock, type Clock, type Store } from '@interop-blocks/core';
import { diagnosticsChannelFor } from '@interop-blocks/core';
import type { TrailAppender } from '../trail/types.js';
import { checkRequest } from './check-request.js';
import { DecisionCache } from './decision-cache.js';
import { decideFromRegistry, usableGrants } from './decide-from-registry.js';
import { GenerationWatch } from './generation-watch.js';
import { RIGHTS_MIGRATIONS } from './migrations.js';
import { readGeneration } from './read-registry.js';
import { setRightsInternals } from './rights-internals.js';
import type { RightsDb } from './tables.js';
import { trailDecision } from './trail-decision.js';
import type { AuthorizationDecision, AuthorizeRequest, RightAction } from './types.js';

/** Options of {@link openRights}. */
export interface OpenRightsOptions {
  /** The store holding the registry (migrated on open, namespace `security-rights`). */
  store: Store;
  /** Where every decision and every change is recorded. */
  trail: TrailAppender;
  /** Default the system clock. Rights' validity and the cache's times follow it. */
  clock?: Clock;
  /** Decision cache: at most `maxEntries` (default 10 000), each for `ttlMs` (default 60 000). */
  cache?: { maxEntries?: number; ttlMs?: number };
  /**
   * How often, in ms, the change counter is read to see changes made by other processes on the
   * same database: the staleness bound of cached decisions. Default 1000; 0 reads it every time.
   */
  changeCheckIntervalMs?: number;
  signal?: AbortSignal;
}

/** Options of one {@link Rights.authorize} call. */
export interface AuthorizeOptions {
  signal?: AbortSignal;
}

/** The rights service. */
export interface Rights {
  /**
   * Decides whether a principal may perform an action on a source for a purpose, and trails the
   * decision. A refusal is a value with a coded reason, not an exception.
   *
   * @throws SecurityError `RIGHTS_TRAIL_FAILED` when the decision cannot be trailed (no decision
   *   is returned then); a store error when the registry cannot be read.
   */
  authorize(request: AuthorizeRequest, options?: AuthorizeOptions): Promise<AuthorizationDecision>;
  /** Reads the change counter now, dropping cached decisions if another process changed rights. */
  refresh(signal?: AbortSignal): Promise<void>;
  /**
   * The rights a principal may use now for an action (its own, its organisation's and their
   * roles'), e.g. to tell a consumer which datasets and purposes it may ask for. Empty when the
   * principal or its organisation is not active. A listing, not a decision: it is not trailed.
   */
  usableRights(
    principal: string,
    action: RightAction,
    options?: { time?: Date | number; signal?: AbortSignal },
  ): Promise<UsableRight[]>;
}

/** A right a principal may use: the source pattern, its purposes and fields. */
export interface UsableRight {
  rightId: string;
  /** A source id or pattern (see `parseSourcePattern`). */
  source: string;
  purposes: string[];
  fields: string[] | '*';
  /** Exclusive end of validity, epoch ms; null when open-ended. */
  validUntil: number | null;
}

const decisionChannel = diagnosticsChannelFor('security', 'rights', 'decision');

/**
 * Opens the rights service on a store: applies the registry's migrations and returns `authorize`.
 * Manage principals and rights with `createRightsAdmin(rights)`.
 *
 * Cached decisions are dropped at once when a change is made through this service's admin, and
 * within `changeCheckIntervalMs` when another process sharing the database makes one.
 *
 * @throws CoreError `CORE_MIGRATION_*` when the registry cannot be migrated.
 * @example
 * ```ts
 * const rights = await openRights({ store, trail });
 * const decision = await rights.authorize({
 *   principal: 'csd-ljubljana', action: 'query', source: 'furs.income', purpose: 'child-benefit',
 *   legalBasis: 'ZUPJS art. 5', case: 'case-42', official: 'jnovak',
 * });
 * if (!decision.allowed) return refuse(decision.reason.code);
 * ```
 */
export async function openRights(options: OpenRightsOptions): Promise<Rights> {
  await options.store.migrate(RIGHTS_MIGRATIONS, { signal: options.signal });
  return new RightsService(options);
}

class RightsService implements Rights {
  readonly #store: Store;
  readonly #trail: TrailAppender;
  readonly #clock: Clock;
  readonly #cache: DecisionCache;
  readonly #watch: GenerationWatch;

  constructor(options: OpenRightsOptions) {
    this.#store = options.store;
    this.#trail = options.trail;
    this.#clock = options.clock ?? systemClock;
    this.#cache = new DecisionCache(
      options.cache?.maxEntries ?? 10_000,
      options.cache?.ttlMs ?? 60_000,
    );
    this.#watch = new GenerationWatch(
      () => readGeneration(this.#store.db<RightsDb>()),
      this.#clock,
      Math.max(0, options.changeCheckIntervalMs ?? 1000),
      () => this.#cache.clear(),
    );
    setRightsInternals(this, {
      store: this.#store,
      clock: this.#clock,
      trail: this.#trail,
      observeGeneration: (generation) => this.#watch.observe(generation),
      currentGeneration: () => this.#watch.current(),
    });
  }

  async authorize(
    request: AuthorizeRequest,
    options: AuthorizeOptions = {},
  ): Promise<AuthorizationDecision> {
    options.signal?.throwIfAborted();
    const started = this.#clock.now();
    const checked = checkRequest(request, started);
    if (!('timeMs' in checked)) {
      await trailDecision(this.#trail, request, checked, false, options.signal);
      return this.#publish(checked, false, started);
    }

    const key = JSON.stringify([
      checked.principal,
      checked.action,
      checked.source,
      checked.purpose,
      checked.official,
    ]);
    const generation = await this.#watch.current();
    let decision = this.#cache.get(key, generation, checked.timeMs, this.#clock.now());
    const cached = decision !== undefined;
    if (!decision) {
      const timed = await decideFromRegistry(this.#store.db<RightsDb>(), checked);
      this.#cache.set(key, { ...timed, generation }, this.#clock.now());
      decision = timed.decision;
    }

    await trailDecision(this.#trail, request, decision, cached, options.signal);
    return this.#publish(decision, cached, started);
  }

  async usableRights(
    principal: string,
    action: RightAction,
    options: { time?: Date | number; signal?: AbortSignal } = {},
  ): Promise<UsableRight[]> {
    options.signal?.throwIfAborted();
    const time = options.time === undefined ? this.#clock.now() : Number(options.time);
    const rows = await usableGrants(this.#store.db<RightsDb>(), principal, action, time);
    return rows.map((row) => ({
      rightId: row.id,
      source: row.source,
      purposes: JSON.parse(row.purposes) as string[],
      fields: row.fields === null ? '*' : (JSON.parse(row.fields) as string[]),
      validUntil: row.valid_until === null ? null : Number(row.valid_until),
    }));
  }

  async refresh(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#watch.observe(await readGeneration(this.#store.db<RightsDb>()));
  }

  #publish(
    decision: AuthorizationDecision,
    cached: boolean,
    started: number,
  ): AuthorizationDecision {
    if (decisionChannel.hasSubscribers) {
      const ms = this.#clock.now() - started;
      decisionChannel.publish({
        allowed: decision.allowed,
        code: decision.reason.code,
        cached,
        ms,
      });
    }
    return structuredClone(decision);
  }
}
