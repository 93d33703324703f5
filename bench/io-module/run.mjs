// IO-Module benchmark: load of a national distribution copy (2,100,000 subjects, 3 records each)
// on SQLite and PostgreSQL, in a child process each, reporting seconds and peak RSS.
// TODO(io-bench): the query part (mutual TLS + signatures + rights + trail vs a bare Fastify
// baseline, single and batches of 100) comes with the query service.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median, report, smoke } from '../lib/harness.mjs';

const subjects = smoke ? 2_000 : Number(process.env.INTEROP_BENCH_IO_SUBJECTS ?? 2_100_000);
const runs = smoke ? 1 : Number(process.env.INTEROP_BENCH_RUNS ?? 3);
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

const results = {};
for (const [backend, scope] of [
  ['sqlite', withSqlite],
  ['postgres', withPostgres],
]) {
  const samples = [];
  for (let r = 0; r < runs; r++) samples.push(await scope(loadOnce));
  const last = samples.at(-1);
  if (last.subjects !== subjects)
    throw new Error(`${backend}: loaded ${last.subjects} subjects, expected ${subjects}`);
  results[`${backend}_load_seconds`] = median(samples.map((s) => s.seconds));
  results[`${backend}_load_peak_rss_mb`] = Math.max(...samples.map((s) => s.maxRssMb));
  results[`${backend}_records`] = last.records;
  results[`${backend}_records_per_s`] = last.records / median(samples.map((s) => s.seconds));
}

const ok = report({
  name: 'io-module',
  backend: 'sqlite+postgres',
  figures: { subjects, ...results },
  targets: [
    { metric: 'sqlite_load_seconds', op: '<=', value: 90 },
    { metric: 'sqlite_load_peak_rss_mb', op: '<=', value: 1024 },
    { metric: 'postgres_load_seconds', op: '<=', value: 90 },
    { metric: 'postgres_load_peak_rss_mb', op: '<=', value: 1024 },
  ],
});
process.exit(ok ? 0 : 1);
