// Async-module benchmark: the full cycle (submit, lease, answer, deliver and acknowledge) per second
// in batches of 100 with the trail on, on PostgreSQL and SQLite, with a deep room (100,000 waiting)
// and a shallow one; beside it, on the same PostgreSQL in the same run, pg-boss 10 (insert, fetch,
// complete with its batch APIs) and a bare one-table queue (insert, fetch by batched FOR UPDATE
// SKIP LOCKED, complete by delete). Every system runs the same number of concurrent workers.
// `trail_only` appends the cycle's four trail records per item and nothing else: the ceiling the
// trail sets on the rooms (a figure, not a target).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { median, report, smoke } from '../lib/harness.mjs';
import { bareSystem, pgBossSystem, roomsSystem, trailOnlySystem } from './systems.mjs';

const pgUrl = process.env.INTEROP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DEEP = smoke ? 2_000 : 100_000;
const ITEMS = smoke ? 1_000 : Number(process.env.INTEROP_BENCH_ASYNC_ITEMS ?? 10_000);
const RUNS = smoke ? 1 : Number(process.env.INTEROP_BENCH_RUNS ?? 3);
const WORKERS = 4;

/** Items per second of `system.cycle`, with WORKERS workers, until ITEMS items completed. */
async function rate(system) {
  let done = 0;
  const start = process.hrtime.bigint();
  const worker = async (w) => {
    while (done < ITEMS) {
      const n = await system.cycle(w); // read `done` only after the await: workers interleave
      done += n;
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return done / (Number(process.hrtime.bigint() - start) / 1e9);
}

function pgSchemaUrl(schema) {
  const url = new URL(pgUrl);
  url.searchParams.set('schema', schema);
  return url.toString();
}

async function dropSchemas(names) {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  for (const n of names) await client.query(`drop schema if exists ${n} cascade`);
  await client.end();
}

/**
 * ANALYZE every table of this run's PostgreSQL schemas, the same for all systems. The test server
 * runs with autovacuum off, so a table filled just now has no statistics, and a planner without
 * them may read a whole 100,000-row backlog to pick 100 rows; a production backlog filled over a
 * morning is analyzed by autovacuum.
 */
async function analyzeSchemas(prefix) {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  const { rows } = await client.query(
    'select schemaname, tablename from pg_tables where schemaname like $1',
    [`bench_%_${prefix}`],
  );
  for (const t of rows) {
    await client.query(
      `analyze ${client.escapeIdentifier(t.schemaname)}.${client.escapeIdentifier(t.tablename)}`,
    );
  }
  await client.end();
}

const tag = process.pid;
const schemas = {
  deep: `bench_rooms_deep_${tag}`,
  shallow: `bench_rooms_shallow_${tag}`,
  trail: `bench_trail_only_${tag}`,
};
const dir = mkdtempSync(join(tmpdir(), 'async-bench-'));
await dropSchemas(Object.values(schemas));

const systems = {
  postgres_deep: await roomsSystem(pgSchemaUrl(schemas.deep), WORKERS),
  postgres_shallow: await roomsSystem(pgSchemaUrl(schemas.shallow), WORKERS),
  sqlite_deep: await roomsSystem(`sqlite:${join(dir, 'deep.db')}`, WORKERS),
  sqlite_shallow: await roomsSystem(`sqlite:${join(dir, 'shallow.db')}`, WORKERS),
  bare_deep: await bareSystem(pgUrl, `bench_bare_deep_${tag}`),
  bare_shallow: await bareSystem(pgUrl, `bench_bare_shallow_${tag}`),
  pgboss_deep: await pgBossSystem(pgUrl, `bench_pgboss_deep_${tag}`),
  trail_only: await trailOnlySystem(pgSchemaUrl(schemas.trail)),
};

try {
  for (const [name, system] of Object.entries(systems)) {
    if (name.endsWith('_deep')) {
      const t0 = Date.now();
      await system.fill(DEEP);
      console.log(
        `  filled ${name} with ${DEEP} waiting items in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
  }

  await analyzeSchemas(tag);

  const samples = Object.fromEntries(Object.keys(systems).map((k) => [k, []]));
  for (let r = 0; r < RUNS; r++) {
    // Side by side: every system once per round, so drift on the machine hits them alike.
    for (const [name, system] of Object.entries(systems)) {
      const perS = await rate(system);
      samples[name].push(perS);
      console.log(`  round ${r + 1} ${name}: ${Math.round(perS)} items/s`);
    }
  }

  const f = Object.fromEntries(Object.entries(samples).map(([k, v]) => [`${k}_per_s`, median(v)]));
  const ok = report({
    name: 'async-module',
    backend: 'postgres+sqlite',
    figures: {
      deep_backlog: DEEP,
      items_per_run: ITEMS,
      workers: WORKERS,
      batch: 100,
      ...f,
      ratio_to_pgboss_deep: f.postgres_deep_per_s / f.pgboss_deep_per_s,
      ratio_to_bare_deep: f.postgres_deep_per_s / f.bare_deep_per_s,
      ratio_to_bare_shallow: f.postgres_shallow_per_s / f.bare_shallow_per_s,
    },
    targets: [
      { metric: 'ratio_to_pgboss_deep', op: '>=', value: 5 },
      { metric: 'ratio_to_bare_deep', op: '>=', value: 0.5 },
      { metric: 'ratio_to_bare_shallow', op: '>=', value: 0.5 },
    ],
  });
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const system of Object.values(systems)) await system.close();
  await dropSchemas(Object.values(schemas));
  rmSync(dir, { recursive: true, force: true });
}
