// Data keys per trail and period: created at first use, stored wrapped, unwrapped once, purgeable.

import { randomBytes } from 'node:crypto';
import type { Clock, Store } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { TrailDb } from './schema.js';
import { open, seal, wrapAad } from './subject-crypto.js';
import type { TrailKey } from './types.js';

/** A data key period. */
export type KeyPeriod = 'day' | 'month' | 'year';

/** A data key period: its id (`2026`, `2026-05`, `2026-05-04`, UTC), start and end (epoch ms). */
export interface Period {
  id: string;
  start: number;
  end: number;
}

/** The period holding `time`. */
export function periodOf(time: number, period: KeyPeriod): Period {
  const d = new Date(time);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'year')
    return { id: String(y), start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
  const mm = String(m + 1).padStart(2, '0');
  if (period === 'month') {
    return { id: `${y}-${mm}`, start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  }
  const day = d.getUTCDate();
  const id = `${y}-${mm}-${String(day).padStart(2, '0')}`;
  return { id, start: Date.UTC(y, m, day), end: Date.UTC(y, m, day + 1) };
}

/** A usable data key, or why there is none. */
export type DataKeyLookup =
  { state: 'ok'; key: Uint8Array } | { state: 'purged' } | { state: 'missing' };

/** Finds and creates the data keys of one trail; caches them unwrapped in memory. */
export class DataKeys {
  readonly #store: Store;
  readonly #trail: string;
  readonly #masterKeys: TrailKey[];
  readonly #period: KeyPeriod;
  readonly #clock: Clock;
  readonly #cache = new Map<string, Promise<DataKeyLookup>>();
  /** The key of the period appends are in, for the synchronous path. */
  #current: (Period & { key: Uint8Array }) | undefined;
  readonly #creating = new Map<string, Promise<void>>();

  constructor(
    store: Store,
    trail: string,
    masterKeys: TrailKey[],
    period: KeyPeriod,
    clock: Clock,
  ) {
    this.#store = store;
    this.#trail = trail;
    this.#masterKeys = masterKeys;
    this.#period = period;
    this.#clock = clock;
  }

  /**
   * The data key for records at `time`, created (by this or another process) on first use.
   * @throws SecurityError `TRAIL_KEY_UNAVAILABLE` when the period's key was purged or cannot be
   *   unwrapped.
   */
  async forTime(time: number): Promise<{ id: string; key: Uint8Array }> {
    const period = periodOf(time, this.#period);
    const { id, end } = period;
    let found = await this.get(id);
    if (found.state === 'missing') {
      let creating = this.#creating.get(id);
      if (!creating) {
        this.#cache.delete(id);
        creating = this.#create(id, end).finally(() => this.#creating.delete(id));
        this.#creating.set(id, creating);
      }
      await creating;
      if ((await this.get(id)).state === 'missing') this.#cache.delete(id);
      found = await this.get(id);
    }
    if (found.state !== 'ok') {
      this.#cache.delete(id);
      throw new SecurityError('TRAIL_KEY_UNAVAILABLE', 'The data key of this period is purged.', {
        context: { trail: this.#trail, keyId: id },
      });
    }
    this.#current = { ...period, key: found.key };
    return { id, key: found.key };
  }

  /** The data key for `time` when it is the one in memory; undefined otherwise. */
  cachedFor(time: number): { id: string; key: Uint8Array } | undefined {
    const current = this.#current;
    return current && time >= current.start && time < current.end ? current : undefined;
  }

  /**
   * The data key `id`, if it exists and is not purged.
   * @throws SecurityError `TRAIL_KEY_UNAVAILABLE` when its master key is not configured.
   */
  get(id: string): Promise<DataKeyLookup> {
    let lookup = this.#cache.get(id);
    if (!lookup) {
      lookup = this.#load(id);
      this.#cache.set(id, lookup);
      lookup.catch(() => this.#cache.delete(id));
    }
    return lookup;
  }

  /** Forgets cached keys (after a purge). */
  forget(): void {
    this.#cache.clear();
    this.#current = undefined;
  }

  async #load(id: string): Promise<DataKeyLookup> {
    const row = await this.#store
      .db<TrailDb>()
      .selectFrom('trail_keys')
      .select(['master_key_id', 'wrapped'])
      .where('trail', '=', this.#trail)
      .where('key_id', '=', id)
      .executeTakeFirst();
    if (!row) return { state: 'missing' };
    if (!row.wrapped) return { state: 'purged' };

    const master = this.#masterKeys.find((k) => k.id === row.master_key_id);
    const key = master && open(master.key, row.wrapped, wrapAad(this.#trail, id));
    if (!key) {
      throw new SecurityError(
        'TRAIL_KEY_UNAVAILABLE',
        'A data key cannot be unwrapped: its master key is not configured or does not match.',
        { context: { trail: this.#trail, keyId: id, masterKeyId: row.master_key_id } },
      );
    }
    return { state: 'ok', key };
  }

  async #create(id: string, end: number): Promise<void> {
    const master = this.#masterKeys[0];
    if (!master) throw new SecurityError('TRAIL_CONFIG_INVALID', 'No master key is configured.');
    const wrapped = seal(master.key, randomBytes(32), wrapAad(this.#trail, id));
    await this.#store
      .db<TrailDb>()
      .insertInto('trail_keys')
      .values({
        trail: this.#trail,
        key_id: id,
        master_key_id: master.id,
        wrapped,
        period_end: end,
        created_at: this.#clock.now(),
        purged_at: null,
      })
      .onConflict((oc) => oc.columns(['trail', 'key_id']).doNothing())
      .execute();
  }
}
