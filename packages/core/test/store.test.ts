import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InteropError,
  MIGRATIONS_TABLE,
  openStore,
  parseStoreUrl,
  type MigrationSet,
  type Store,
} from '../src/index.js';
import { openTestStore, testBackends, type TestStore } from '../src/testing.js';

interface Db {
  item: { id: string; n: number; at: number };
}

const itemMigrations: MigrationSet = {
  namespace: 'test-items',
  migrations: [
    {
      version: 1,
      name: 'create_item',
      up: async (db) => {
        await db.schema
          .createTable('item')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('n', 'integer', (c) => c.notNull())
          .execute();
      },
    },
    {
      version: 2,
      name: 'add_item_at',
      up: async (db) => {
        await db.schema
          .alterTable('item')
          .addColumn('at', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
  ],
};

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return InteropError.is(err) ? err.code : `uncoded: ${String(err)}`;
  }
  return undefined;
}

describe('store URLs', () => {
  it('parse the three forms and never echo a password', () => {
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ backend: 'sqlite', path: ':memory:' });
    expect(parseStoreUrl('sqlite:./data/x.db')).toEqual({ backend: 'sqlite', path: './data/x.db' });
    expect(parseStoreUrl('postgres://u:secret@h/db?schema=tray')).toMatchObject({
      backend: 'postgres',
      schema: 'tray',
    });
    try {
      parseStoreUrl('postgres://u:secret@h/db?schema=Bad-Name');
      expect.fail('expected refusal');
    } catch (err) {
      expect((err as InteropError).code).toBe('CORE_STORE_URL_INVALID');
      expect(JSON.stringify((err as InteropError).toJSON())).not.toContain('secret');
    }
    expect(() => parseStoreUrl('mysql://h/db')).toThrow(/sqlite: or postgres/);
    expect(() => parseStoreUrl('sqlite:')).toThrow(InteropError);
  });

  it('report an unreachable PostgreSQL with a code', async () => {
    expect(await codeOf(openStore('postgres://nobody@127.0.0.1:1/none'))).toBe(
      'CORE_STORE_UNREACHABLE',
    );
  });

  it('open an in-memory SQLite store', async () => {
    const store = await openStore('sqlite::memory:');
    await store.migrate(itemMigrations);
    await store.db<Db>().insertInto('item').values({ id: 'a', n: 1, at: 2 }).execute();
    expect(await store.db<Db>().selectFrom('item').selectAll().execute()).toHaveLength(1);
    await store.close();
  });
});

describe.each(testBackends())('store on %s', (backend) => {
  let t: TestStore;
  let store: Store;

  beforeEach(async () => {
    t = await openTestStore(backend);
    store = t.store;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('applies migrations once, in order, and records them', async () => {
    expect(await store.migrate(itemMigrations)).toEqual({
      namespace: 'test-items',
      applied: [1, 2],
      current: 2,
    });
    expect(await store.migrate(itemMigrations)).toEqual({
      namespace: 'test-items',
      applied: [],
      current: 2,
    });
    const rows = await store
      .db<{ [MIGRATIONS_TABLE]: { namespace: string; version: number; name: string } }>()
      .selectFrom(MIGRATIONS_TABLE)
      .select(['namespace', 'version', 'name'])
      .orderBy('version')
      .execute();
    expect(rows).toEqual([
      { namespace: 'test-items', version: 1, name: 'create_item' },
      { namespace: 'test-items', version: 2, name: 'add_item_at' },
    ]);
  });

  it('applies only the new migrations of a later release', async () => {
    await store.migrate({ ...itemMigrations, migrations: itemMigrations.migrations.slice(0, 1) });
    expect((await store.migrate(itemMigrations)).applied).toEqual([2]);
  });

  it('refuses to run older code against a newer database', async () => {
    await store.migrate(itemMigrations);
    const older = { ...itemMigrations, migrations: itemMigrations.migrations.slice(0, 1) };
    expect(await codeOf(store.migrate(older))).toBe('CORE_MIGRATION_CONFLICT');
    const renamed: MigrationSet = {
      namespace: 'test-items',
      migrations: [{ ...itemMigrations.migrations[0]!, name: 'other_name' }],
    };
    expect(await codeOf(store.migrate(renamed))).toBe('CORE_MIGRATION_CONFLICT');
  });

  it('rolls back a failing migration completely', async () => {
    const failing: MigrationSet = {
      namespace: 'test-failing',
      migrations: [
        {
          version: 1,
          name: 'half_done',
          up: async (db) => {
            await db.schema.createTable('half').addColumn('x', 'integer').execute();
            throw new Error('boom');
          },
        },
      ],
    };
    expect(await codeOf(store.migrate(failing))).toBe('CORE_MIGRATION_FAILED');
    const tables = await store.db<unknown>().introspection.getTables();
    expect(tables.map((t) => t.name)).not.toContain('half');
  });

  it('refuses malformed migration sets', async () => {
    const gap: MigrationSet = {
      namespace: 'test-gap',
      migrations: [{ ...itemMigrations.migrations[1]! }],
    };
    expect(await codeOf(store.migrate(gap))).toBe('CORE_MIGRATION_INVALID');
    expect(await codeOf(store.migrate({ namespace: 'Bad Name', migrations: [] }))).toBe(
      'CORE_MIGRATION_INVALID',
    );
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await store.migrate(itemMigrations);
    await store.transaction<Db, void>(async (trx) => {
      await trx.insertInto('item').values({ id: 'kept', n: 1, at: Date.now() }).execute();
    });
    await expect(
      store.transaction<Db, void>(async (trx) => {
        await trx.insertInto('item').values({ id: 'lost', n: 2, at: 0 }).execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const ids = await store.db<Db>().selectFrom('item').select('id').execute();
    expect(ids).toEqual([{ id: 'kept' }]);
  });

  it('returns bigint columns as numbers', async () => {
    await store.migrate(itemMigrations);
    const at = 1_764_756_000_000;
    await store.db<Db>().insertInto('item').values({ id: 'a', n: 1, at }).execute();
    const row = await store.db<Db>().selectFrom('item').selectAll().executeTakeFirstOrThrow();
    expect(row.at).toBe(at);
    expect(typeof row.n).toBe('number');
  });

  it('serialises concurrent transactions without losing an update', async () => {
    await store.migrate(itemMigrations);
    await store.db<Db>().insertInto('item').values({ id: 'counter', n: 0, at: 0 }).execute();
    const increment = (trx: Kysely<Db>): Promise<unknown> =>
      sql`update item set n = n + 1 where id = 'counter'`.execute(trx);
    await Promise.all(Array.from({ length: 20 }, () => store.transaction<Db, unknown>(increment)));
    const row = await store.db<Db>().selectFrom('item').select('n').executeTakeFirstOrThrow();
    expect(row.n).toBe(20);
  });

  it('refuses an aborted transaction before it starts and any use after close', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(store.transaction(async () => 1, { signal: controller.signal })).rejects.toThrow();
    expect(await store.ping()).toBe(true);
    const other = await openStore(t.url);
    await other.close();
    expect(await other.ping()).toBe(false);
    expect(() => other.db()).toThrow(expect.objectContaining({ code: 'CORE_STORE_CLOSED' }));
  });
});

describe.each(testBackends())('bulk inserts on %s', (backend) => {
  let t: TestStore;

  beforeEach(async () => {
    t = await openTestStore(backend);
    await t.store.migrate(itemMigrations);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('insert many rows in chunks inside the transaction, and roll back with it', async () => {
    const rows = Array.from({ length: 2_345 }, (_, i) => [`id-${i}`, i, i * 10]);
    await t.store.transaction((trx) => t.store.insertMany(trx, 'item', ['id', 'n', 'at'], rows));
    await expect(
      t.store.transaction(async (trx) => {
        await t.store.insertMany(trx, 'item', ['id', 'n', 'at'], [['late', 1, 1]]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');

    const count = await t.store
      .db<Db>()
      .selectFrom('item')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .executeTakeFirstOrThrow();
    expect(Number(count.c)).toBe(2_345);
    const last = await t.store
      .db<Db>()
      .selectFrom('item')
      .selectAll()
      .where('id', '=', 'id-2344')
      .executeTakeFirst();
    expect(last).toEqual({ id: 'id-2344', n: 2344, at: 23440 });
  });

  it('refuse a connection outside a transaction and names that are not identifiers', async () => {
    expect(await codeOf(t.store.insertMany(t.store.db(), 'item', ['id'], [['x']]))).toBe(
      'CORE_STORE_NOT_IN_TRANSACTION',
    );
    const bad = t.store.transaction((trx) =>
      t.store.insertMany(trx, 'item; drop table item', ['id'], [['x']]),
    );
    expect(await codeOf(bad)).toBe('CORE_STORE_IDENTIFIER_INVALID');
  });
});
