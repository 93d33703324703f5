// A version's life: allocated while loading, switched live atomically, retired, purged or failed.

import type { Clock, Store } from '@interop-blocks/core';
import type { Kysely } from 'kysely';
import type { IoTables } from './migrations.js';
import { createRecordTable, dropRecordTable } from './version-tables.js';

/** What is known of one version. */
export interface VersionInfo {
  id: number;
  dataset: string;
  label: string;
  state: IoTables['io_version']['state'];
  kind: 'full' | 'changes';
  baseVersion: number | null;
  asOf: string | null;
  createdAt: number;
  liveAt: number | null;
  records: number;
  subjects: number;
  rejected: number;
}

/** Allocates a new version id in state `loading` and creates its empty record table. */
export async function allocateVersion(
  store: Store,
  clock: Clock,
  row: {
    dataset: string;
    label?: string;
    kind: 'full' | 'changes';
    baseVersion?: number;
    asOf?: string;
  },
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.transaction<IoTables, number>(async (trx) => {
        const { max } = await trx
          .selectFrom('io_version')
          .select((eb) => eb.fn.max('id').as('max'))
          .executeTakeFirstOrThrow();
        const id = Number(max ?? 0) + 1;
        await trx
          .insertInto('io_version')
          .values({
            id,
            dataset: row.dataset,
            label: row.label ?? `v${id}`,
            state: 'loading',
            kind: row.kind,
            base_version: row.baseVersion ?? null,
            as_of: row.asOf ?? null,
            created_at: clock.now(),
            live_at: null,
            retired_at: null,
            records: 0,
            subjects: 0,
            rejected: 0,
          })
          .execute();
        await createRecordTable(trx as Kysely<unknown>, id);
        return id;
      });
    } catch (err) {
      // Two processes allocating at once on PostgreSQL: one gets a duplicate key; try again.
      if (attempt < 3 && (err as { code?: string }).code === '23505') continue;
      throw err;
    }
  }
}

/**
 * Makes `id` the live version of its dataset in one transaction, retiring the previous one, then
 * purges retired versions beyond `keep` (the live one counts).
 */
export async function switchVersion(
  store: Store,
  clock: Clock,
  dataset: string,
  id: number,
  counts: { records: number; subjects: number; rejected: number },
  keep: number,
): Promise<void> {
  const now = clock.now();
  await store.transaction<IoTables, void>(async (trx) => {
    const previous = await trx
      .selectFrom('io_live')
      .select('version')
      .where('dataset', '=', dataset)
      .executeTakeFirst();
    await trx
      .insertInto('io_live')
      .values({ dataset, version: id, switched_at: now })
      .onConflict((oc) => oc.column('dataset').doUpdateSet({ version: id, switched_at: now }))
      .execute();
    await trx
      .updateTable('io_version')
      .set({ state: 'live', live_at: now, ...counts })
      .where('id', '=', id)
      .execute();
    if (previous) {
      await trx
        .updateTable('io_version')
        .set({ state: 'retired', retired_at: now })
        .where('id', '=', previous.version)
        .execute();
    }
  });
  await purgeBeyond(store, dataset, keep);
}

/** Marks a version failed and drops what it had written. */
export async function failVersion(store: Store, id: number): Promise<void> {
  await store.transaction<IoTables, void>(async (trx) => {
    await trx.updateTable('io_version').set({ state: 'failed' }).where('id', '=', id).execute();
    await dropRecordTable(trx as Kysely<unknown>, id);
  });
}

async function purgeBeyond(store: Store, dataset: string, keep: number): Promise<void> {
  const retired = await store
    .db<IoTables>()
    .selectFrom('io_version')
    .select('id')
    .where('dataset', '=', dataset)
    .where('state', '=', 'retired')
    .orderBy('id', 'desc')
    .execute();

  for (const { id } of retired.slice(Math.max(0, keep - 1))) {
    await store.transaction<IoTables, void>(async (trx) => {
      await trx.updateTable('io_version').set({ state: 'purged' }).where('id', '=', id).execute();
      await trx.deleteFrom('io_quarantine').where('version', '=', id).execute();
      await dropRecordTable(trx as Kysely<unknown>, id);
    });
  }
}

/** Reads version rows as {@link VersionInfo}. */
export function toVersionInfo(row: IoTables['io_version']): VersionInfo {
  return {
    id: Number(row.id),
    dataset: row.dataset,
    label: row.label,
    state: row.state,
    kind: row.kind,
    baseVersion: row.base_version === null ? null : Number(row.base_version),
    asOf: row.as_of,
    createdAt: Number(row.created_at),
    liveAt: row.live_at === null ? null : Number(row.live_at),
    records: Number(row.records),
    subjects: Number(row.subjects),
    rejected: Number(row.rejected),
  };
}
