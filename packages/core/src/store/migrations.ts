// Numbered migrations per namespace, applied in order under a lock, recorded in one table.

import { sql, type Kysely } from 'kysely';
import { CoreError } from '../errors/core-error.js';
import type { Backend } from './store-url.js';

/** One schema change. Versions of a namespace are 1, 2, 3, ... without gaps. */
export interface Migration {
  readonly version: number;
  /** Short snake_case description, recorded with the version. */
  readonly name: string;
  /** Applies the change inside the migration transaction. */
  up(db: Kysely<unknown>, context: { backend: Backend }): Promise<void>;
}

/** The migrations of one package or component, e.g. `security-trail`. */
export interface MigrationSet {
  readonly namespace: string;
  readonly migrations: readonly Migration[];
}

/** What {@link Store.migrate} did. */
export interface MigrationResult {
  namespace: string;
  /** Versions applied by this call, in order. */
  applied: number[];
  /** The version of the namespace after the call. */
  current: number;
}

/** Name of the table that records applied migrations. */
export const MIGRATIONS_TABLE = 'interop_migrations';

interface MigrationRow {
  namespace: string;
  version: number;
  name: string;
  applied_at: number;
}

type MigrationDb = { [MIGRATIONS_TABLE]: MigrationRow };

/**
 * Checks a migration set: namespace form, versions 1..n without gaps or duplicates, names.
 * @throws CoreError `CORE_MIGRATION_INVALID`.
 */
export function assertMigrationSet(set: MigrationSet): void {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(set?.namespace ?? '')) {
    throw new CoreError('CORE_MIGRATION_INVALID', 'A migration namespace is a lower-case word.');
  }
  set.migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new CoreError('CORE_MIGRATION_INVALID', 'Migration versions must run 1, 2, 3, ...', {
        context: { namespace: set.namespace, position: i, version: m.version },
      });
    }
    if (!/^[a-z0-9_]{1,100}$/.test(m.name)) {
      throw new CoreError('CORE_MIGRATION_INVALID', 'Migration names are snake_case words.', {
        context: { namespace: set.namespace, version: m.version },
      });
    }
  });
}

/**
 * Applies the pending migrations of `set` on `trx`, which must be a transaction holding the
 * database-wide migration lock (the store takes it).
 */
export async function applyMigrations(
  trx: Kysely<unknown>,
  backend: Backend,
  set: MigrationSet,
  now: () => number,
  onApplied: (m: Migration, ms: number) => void,
): Promise<MigrationResult> {
  const db = trx as unknown as Kysely<MigrationDb>;
  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('interop_migrations_pk', ['namespace', 'version'])
    .execute();

  const rows = await db
    .selectFrom(MIGRATIONS_TABLE)
    .select(['version', 'name'])
    .where('namespace', '=', set.namespace)
    .orderBy('version')
    .execute();
  assertKnown(set, rows);

  const applied: number[] = [];
  for (const migration of set.migrations.slice(rows.length)) {
    const started = now();
    try {
      await migration.up(trx, { backend });
    } catch (cause) {
      throw new CoreError('CORE_MIGRATION_FAILED', 'A migration failed and was rolled back.', {
        context: { namespace: set.namespace, version: migration.version, name: migration.name },
        cause,
      });
    }
    await db
      .insertInto(MIGRATIONS_TABLE)
      .values({
        namespace: set.namespace,
        version: migration.version,
        name: migration.name,
        applied_at: now(),
      })
      .execute();
    applied.push(migration.version);
    onApplied(migration, now() - started);
  }

  return {
    namespace: set.namespace,
    applied,
    current: Math.max(rows.length, set.migrations.length),
  };
}

function assertKnown(set: MigrationSet, rows: { version: number; name: string }[]): void {
  rows.forEach((row, i) => {
    const known = set.migrations[i];
    if (!known || Number(row.version) !== known.version || row.name !== known.name) {
      throw new CoreError(
        'CORE_MIGRATION_CONFLICT',
        'The database holds a migration this code does not know; is a newer version deployed?',
        { context: { namespace: set.namespace, version: Number(row.version) } },
      );
    }
  });
}

/** The PostgreSQL advisory lock key for migrations in the current schema. */
export const PG_MIGRATION_LOCK = sql`pg_advisory_xact_lock(
  hashtext('interop-migrations:' || current_schema()))`;
