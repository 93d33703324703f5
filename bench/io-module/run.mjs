// IO-Module benchmark on SQLite and PostgreSQL, a fresh store each:
// - load: a national distribution copy (2,100,000 subjects, 3 records each) in a child process,
//   seconds and peak RSS (median of `runs` loads);
// - queries on the last load: the full server (createIoServer: mutual TLS, JWS on queries and
//   answers, rights with a grant, trail on the same store) and, in the same run, a bare Fastify
//   baseline on the same store (same DistributionCopy.lookup), each in a server process of its
//   own, asked by a separate client process for single subjects and batches of 100.
// `INTEROP_BENCH_SMOKE=1` runs a tiny size and writes to bench/results/smoke/ (with
// `INTEROP_BENCH_IO_SUBJECTS` and `INTEROP_BENCH_IO_QUERY_S`, a mid size kept out of the results);
// `INTEROP_BENCH_IO_PROFILE=<dir>` writes a CPU profile of the full server there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median, report, smoke } from '../lib/harness.mjs';
import { queryFigures } from './query-figures.mjs';
import { measureQueries } from './query-phase.mjs';

const subjects = Number(process.env.INTEROP_BENCH_IO_SUBJECTS ?? (smoke ? 2_000 : 2_100_000));
const runs = smoke ? 1 : Number(process.env.INTEROP_BENCH_RUNS ?? 3);
const query = {
  warmupS: smoke ? 0.5 : 3,
  durationS: Number(process.env.INTEROP_BENCH_IO_QUERY_S ?? (smoke ? 1.5 : 25)),
  profileDir: process.env.INTEROP_BENCH_IO_PROFILE,
};
const child = fileURLToPath(new URL('./load-child.mjs', import.meta.url));
const pgUrl = process.env.INTEROP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function loadOnce(url) {
  const out = execFileSync(process.execPath, [child, url, String(subjects)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

async function withSqlite(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'io-bench-'));
  try {
    return await fn(`sqlite:${join(dir, 'io.db')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withPostgres(fn) {
  const schema = `bench_io_${process.pid}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
    const url = new URL(pgUrl);
    url.searchParams.set('schema', schema);
    return await fn(url.toString());
  } finally {
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

const backends = (process.env.INTEROP_BENCH_IO_BACKENDS ?? 'sqlite,postgres').split(',');
const scopes = { sqlite: withSqlite, postgres: withPostgres };
const results = {};
const targets = [];
for (const backend of backends) {
  const samples = [];
  let measured;
  for (let r = 0; r < runs; r++) {
    await scopes[backend](async (url) => {
      samples.push(loadOnce(url));
      if (r === runs - 1)
        measured = await measureQueries({ storeUrl: url, loaded: subjects, ...query });
    });
  }
  const last = samples.at(-1);
  if (last.subjects !== subjects)
    throw new Error(`${backend}: loaded ${last.subjects} subjects, expected ${subjects}`);
  results[`${backend}_load_seconds`] = median(samples.map((s) => s.seconds));
  results[`${backend}_load_peak_rss_mb`] = Math.max(...samples.map((s) => s.maxRssMb));
  results[`${backend}_records`] = last.records;
  results[`${backend}_records_per_s`] = last.records / median(samples.map((s) => s.seconds));
  Object.assign(results, queryFigures(backend, measured));
  targets.push(
    { metric: `${backend}_load_seconds`, op: '<=', value: 90 },
    { metric: `${backend}_load_peak_rss_mb`, op: '<=', value: 1024 },
    { metric: `${backend}_ratio_single_to_baseline`, op: '>=', value: 0.3 },
    { metric: `${backend}_subjects_per_s_batch100`, op: '>=', value: 20_000 },
  );
}

const ok = report({
  name: 'io-module',
  backend: backends.join('+'),
  figures: { subjects, query_seconds_per_mode: query.durationS, ...results },
  targets,
});
process.exit(ok ? 0 : 1);
