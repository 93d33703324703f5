// Test helpers for packages that store through core: an isolated store per test on each backend.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreError } from './errors/core-error.js';
import { openStore, type OpenStoreOptions } from './store/open-store.js';
import type { Store } from './store/store.js';
import type { Backend } from './store/store-url.js';

/** The PostgreSQL URL tests use: `INTEROP_TEST_PG_URL`, default the local `test` database. */
export function testPostgresUrl(): string {
  return process.env.INTEROP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/**
 * The backends every store test runs on: SQLite and PostgreSQL. PostgreSQL is left out only when
 * `INTEROP_TEST_SKIP_PG=1` and not on CI (`CI=true`), where a missing PostgreSQL must fail.
 *
 * @example
 * ```ts
 * describe.each(testBackends())('trail on %s', (backend) => { ... });
 * ```
 */
export function testBackends(): Backend[] {
  const skipPg = process.env.INTEROP_TEST_SKIP_PG === '1' && process.env.CI !== 'true';
  return skipPg ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** A store of its own for one test, and how to remove it. */
export interface TestStore {
  store: Store;
  /** The URL that opens the same database again (another process may use it). */
  url: string;
  /** Closes the store and removes its file or drops its schema. */
  cleanup(): Promise<void>;
}

/**
 * Opens an isolated store: a fresh SQLite file in a temporary folder, or a fresh PostgreSQL schema
 * with a random name in the test database.
 *
 * @throws CoreError `CORE_STORE_UNREACHABLE` when PostgreSQL is not up.
 */
export async function openTestStore(
  backend: Backend,
  options: OpenStoreOptions = {},
): Promise<TestStore> {
  if (backend === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'interop-store-'));
    const url = `sqlite:${join(dir, 'store.db')}`;
    const store = await openStore(url, options);
    return {
      store,
      url,
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  const schema = `t_${randomBytes(6).toString('hex')}`;
  const base = new URL(testPostgresUrl());
  base.searchParams.set('schema', schema);
  const url = base.toString();
  const store = await openStore(url, { poolSize: 4, ...options });
  return {
    store,
    url,
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const admin = await openStore(testPostgresUrl(), { poolSize: 1 });
  try {
    const { sql } = await import('kysely');
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db());
  } catch (cause) {
    throw new CoreError('CORE_STORE_UNREACHABLE', 'Could not drop a test schema.', { cause });
  } finally {
    await admin.close();
  }
}
