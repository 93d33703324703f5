// Benchmark of the trail: acknowledged appends per second against a plain batched INSERT of the
// same rows (same database, same run), and verify() of one million records, on SQLite and
// PostgreSQL. `INTEROP_BENCH_SMOKE=1` runs a tiny size and writes to bench/results/smoke/.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openStore } from '../../packages/core/dist/index.js';
import { createDevPki, createKeySigner, openTrail } from '../../packages/security/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const smoke = process.env.INTEROP_BENCH_SMOKE === '1';
const pgUrl = process.env.INTEROP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const backends = (process.env.TRAIL_BENCH_BACKENDS ?? 'sqlite,postgres').split(',');

const SIZE = {
  appends: Number(process.env.TRAIL_BENCH_APPENDS ?? (smoke ? 500 : 20_000)),
  inFlight: smoke ? 100 : 1000,
  batch: 500,
  rounds: smoke ? 1 : 3,
  verifyRecords: Number(process.env.TRAIL_BENCH_VERIFY ?? (smoke ? 2_000 : 1_000_000)),
  verifyRounds: smoke ? 1 : 3,
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const keys = () => ({
  hmacKeys: [{ id: 'h1', key: randomBytes(32) }],
  masterKeys: [{ id: 'm1', key: randomBytes(32) }],
});

const SOURCES = [
  'furs.income',
  'zpiz.pensions',
  'zzzs.insurance',
  'ess.benefits',
  'gurs.property',
  'kdd.securities',
  'ajpes.business',
  'bank.nlb.balances',
  'bank.nkbm.balances',
  'crp.household',
];

/**
 * Record i of the workload of a gathering process: a case asks 10 sources about each of the 4
 * members of a household (40 enquiries), as the reference system did.
 */
function record(i) {
  const caseNo = Math.floor(i / 40);
  const id = String(1_000_000_000_000 + caseNo * 4 + (i % 4));
  return {
    action: 'query',
    principal: `org:centre-${caseNo % 60}`,
    official: `official-${caseNo % 400}`,
    source: SOURCES[Math.floor(i / 4) % SOURCES.length],
    subject: { scheme: 'emso', id },
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    case: `case-${caseNo}`,
    decision: 'allowed',
    status: 'found',
    requestId: `req-${i}`,
    requestHash: 'a'.repeat(64),
    answerHash: 'b'.repeat(64),
    details: { fields: 'income,year', version: 7 },
  };
}

/** Opens a fresh store on `backend`; returns it with its disposal. */
async function freshStore(backend) {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'trail-bench-'));
    const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
    return {
      store,
      dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })),
    };
  }
  const schema = `trail_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(pgUrl);
  url.searchParams.set('schema', schema);
  const store = await openStore(url.toString(), { poolSize: 4 });
  return {
    store,
    dispose: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db());
      await store.close();
    },
  };
}

/** Appends `n` records with `inFlight` concurrent appenders; returns acknowledged appends/s. */
async function appendRun(trail, n, inFlight, offset = 0) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) await trail.append(record(offset + next++));
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

/** Inserts the rows `from..to` of trail_records again into bench_plain, in batches. */
async function plainRun(store, from, to, batch) {
  const rows = await store
    .db()
    .selectFrom('trail_records')
    .selectAll()
    .where('seq', '>', from)
    .where('seq', '<=', to)
    .orderBy('seq')
    .execute();
  const started = performance.now();
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await store.transaction(async (trx) => {
      await trx.insertInto('bench_plain').values(chunk).execute();
    });
  }
  return rows.length / ((performance.now() - started) / 1000);
}

async function appendBench(backend, signer) {
  const { store, dispose } = await freshStore(backend);
  try {
    const trail = await openTrail({
      store,
      name: 'bench',
      subjectKeys: keys(),
      signer,
      batch: { maxRecords: SIZE.batch, maxDelayMs: 2 },
    });
    // The baseline table has the trail table's columns, key and indexes: the same rows cost the
    // same to store, so the ratio measures what the trail adds (chain, lock, batching, crypto).
    await sql`create table bench_plain as select * from trail_records where 1 = 0`.execute(
      store.db(),
    );
    await sql`create unique index bench_plain_pk on bench_plain (trail, seq)`.execute(store.db());
    for (const column of ['subject_hmac', 'principal', 'case_ref', 'time']) {
      await sql`create index ${sql.id(`bench_plain_${column}`)} on bench_plain (trail, ${sql.ref(column)}, seq)`.execute(
        store.db(),
      );
    }
    await appendRun(trail, 200, 50, 0); // warm-up
    const trailRates = [];
    const plainRates = [];
    let done = 200;
    for (let round = 0; round < SIZE.rounds; round++) {
      trailRates.push(await appendRun(trail, SIZE.appends, SIZE.inFlight, done));
      plainRates.push(await plainRun(store, done, done + SIZE.appends, SIZE.batch));
      done += SIZE.appends;
    }
    await trail.close();
    const appends = median(trailRates);
    const plain = median(plainRates);
    return { appends, plain, ratio: appends / plain };
  } finally {
    await dispose();
  }
}

async function verifyBench(backend, signer) {
  const { store, dispose } = await freshStore(backend);
  try {
    const trail = await openTrail({
      store,
      name: 'bench',
      subjectKeys: keys(),
      signer,
      batch: { maxRecords: 5000, maxDelayMs: 5, maxQueued: 20_000 },
      checkpointEvery: { records: 10_000 },
    });
    const genStarted = performance.now();
    await appendRun(trail, SIZE.verifyRecords, 5000);
    await trail.flush();
    const generateS = (performance.now() - genStarted) / 1000;
    const times = [];
    for (let round = 0; round < SIZE.verifyRounds; round++) {
      const started = performance.now();
      const result = await trail.verify();
      times.push((performance.now() - started) / 1000);
      if (!result.ok || result.records !== SIZE.verifyRecords) {
        throw new Error(`verify failed: ${JSON.stringify(result.problems.slice(0, 3))}`);
      }
    }
    await trail.close();
    return { seconds: median(times), generateS };
  } finally {
    await dispose();
  }
}

const pki = await createDevPki();
const signer = createKeySigner({
  privateKey: pki.seal.key,
  certificateChainPem: pki.seal.chainPem,
});
const figures = {};
const targets = [];
const rows = [];
for (const backend of backends) {
  const a = await appendBench(backend, signer);
  figures[`${backend}_appends_per_s`] = Math.round(a.appends);
  figures[`${backend}_plain_insert_per_s`] = Math.round(a.plain);
  figures[`${backend}_ratio`] = Number(a.ratio.toFixed(2));
  targets.push({ metric: `${backend}_ratio`, op: '>=', value: 0.5 });
  rows.push([backend, 'acknowledged appends/s', Math.round(a.appends)]);
  rows.push([backend, 'plain batched INSERT rows/s', Math.round(a.plain)]);
  rows.push([backend, 'ratio (target >= 0.5)', a.ratio.toFixed(2)]);

  const v = await verifyBench(backend, signer);
  const label = smoke ? 'verify_s' : 'verify_1m_s';
  figures[`${backend}_${label}`] = Number(v.seconds.toFixed(2));
  figures[`${backend}_generate_s`] = Number(v.generateS.toFixed(1));
  if (!smoke) targets.push({ metric: `${backend}_verify_1m_s`, op: '<', value: 10 });
  rows.push([
    backend,
    `verify() of ${SIZE.verifyRecords} records, s (target < 10)`,
    v.seconds.toFixed(2),
  ]);
}

console.log(`\ntrail benchmark${smoke ? ' (smoke)' : ''}: medians of ${SIZE.rounds} rounds`);
console.table(rows.map(([backend, metric, value]) => ({ backend, metric, value })));

const result = {
  name: 'trail',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version, backend: backends.join('+') },
  figures,
  targets,
};
const outDir = smoke ? join(here, '..', 'results', 'smoke') : join(here, '..', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'trail.json'), `${JSON.stringify(result, null, 2)}\n`);
