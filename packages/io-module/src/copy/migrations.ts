// Schema of the distribution copy: versions, the live pointer, quarantined records.

import type { MigrationSet } from '@interop-blocks/core';

/** Migrations of the IO-Module's own tables (namespace `io-module`). */
export const ioMigrations: MigrationSet = {
  namespace: 'io-module',
  migrations: [
    {
      version: 1,
      name: 'create_versions_live_quarantine',
      up: async (db) => {
        await db.schema
          .createTable('io_version')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('dataset', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('base_version', 'integer')
          .addColumn('as_of', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('live_at', 'bigint')
          .addColumn('retired_at', 'bigint')
          .addColumn('records', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('subjects', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('rejected', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createIndex('io_version_dataset')
          .on('io_version')
          .columns(['dataset', 'id'])
          .execute();
        await db.schema
          .createTable('io_live')
          .addColumn('dataset', 'text', (c) => c.primaryKey())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('switched_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('io_quarantine')
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('line', 'bigint', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('raw', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('io_quarantine_version')
          .on('io_quarantine')
          .columns(['version', 'line'])
          .execute();
      },
    },
  ],
};

/** The states of a version: built, serving, kept for audit, dropped, or abandoned. */
export type VersionState = 'loading' | 'live' | 'retired' | 'purged' | 'failed';

/** Table types of the IO-Module for Kysely. */
export interface IoTables {
  io_version: {
    id: number;
    dataset: string;
    label: string;
    state: VersionState;
    kind: 'full' | 'changes';
    base_version: number | null;
    as_of: string | null;
    created_at: number;
    live_at: number | null;
    retired_at: number | null;
    records: number;
    subjects: number;
    rejected: number;
  };
  io_live: { dataset: string; version: number; switched_at: number };
  io_quarantine: { version: number; line: number; code: string; path: string; raw: string };
}
