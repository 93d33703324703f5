// Profiles one cycle stage by stage: statements, transactions and time per stage, with the real
// trail or none (`--no-trail`, only to measure the rooms' own work). Not part of `npm run bench`.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '@interop-blocks/core';
import { createDevPki, createKeySigner, openTrail } from '@interop-blocks/security';
import { ROOM, benchQuery } from './systems.mjs';

const { openWaitingRooms } = await import(process.env.ROOMS_DIST ?? '@interop-blocks/async-module');
const noTrail = process.argv.includes('--no-trail');
const backend = process.argv.includes('--sqlite') ? 'sqlite' : 'postgres';
const CYCLES = 20;
const pgUrl = process.env.INTEROP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const counts = { statements: 0, begins: 0 };
for (const proto of [pg.Client.prototype]) {
  const query = proto.query;
  proto.query = function (q, ...rest) {
    const text = typeof q === 'string' ? q : (q?.text ?? '');
    counts.statements += 1;
    if (/^\s*begin/i.test(text)) counts.begins += 1;
    if (process.env.SHOW_SQL) console.log('   ', text.replace(/\s+/g, ' ').slice(0, 140));
    const t0 = performance.now();
    const r = query.call(this, q, ...rest);
    if (process.env.TIME_SQL && r && typeof r.then === 'function') {
      r.then(
        () =>
          console.log(
            `    ${(performance.now() - t0).toFixed(2)} ms  ${text.replace(/\s+/g, ' ').slice(0, 60)}`,
          ),
        () => {},
      );
    }
    return r;
  };
}

const schema = `bench_profile_${process.pid}`;
const url = backend === 'sqlite' ? `sqlite:/tmp/${schema}.db` : `${pgUrl}?schema=${schema}`;
const store = await openStore(url, { poolSize: 10 });
let trail;
if (noTrail) {
  trail = { append: async () => ({}) };
} else {
  const pki = await createDevPki({ organisations: [{ name: 'Hub Bench', id: 'hub' }] });
  const hub = pki.organisation('hub').client;
  trail = await openTrail({
    store,
    name: 'async-module',
    subjectKeys: {
      hmacKeys: [{ id: 'h1', key: randomBytes(32) }],
      masterKeys: [{ id: 'm1', key: randomBytes(32) }],
    },
    signer: createKeySigner({ privateKey: hub.keyPem, certificateChainPem: hub.chainPem }),
    batch: { maxRecords: 2_000, maxDelayMs: 2 },
  });
}
const rooms = await openWaitingRooms({
  store,
  trail,
  rooms: [{ id: ROOM, owner: 'bank-bench', answerSchema: { type: 'object' } }],
});
const deep = Number(process.env.DEEP ?? 0);
for (let i = 0; i < deep; i += 1_000) {
  await rooms.submit(
    Array.from({ length: 1_000 }, (_, k) => ({ query: benchQuery(), requester: `w${k % 4}` })),
  );
}
if (process.env.ANALYZE && backend === 'postgres') {
  const { sql } = await import('kysely');
  await sql`analyze`.execute(store.db());
}
const stages = ['submit', 'lease', 'answer', 'pull', 'ack'];
const totals = Object.fromEntries(stages.map((s) => [s, { ms: 0, statements: 0, begins: 0 }]));
async function stage(name, fn) {
  const s0 = counts.statements,
    b0 = counts.begins,
    t0 = performance.now();
  const r = await fn();
  totals[name].ms += performance.now() - t0;
  totals[name].statements += counts.statements - s0;
  totals[name].begins += counts.begins - b0;
  return r;
}
for (let c = 0; c < CYCLES + 2; c++) {
  if (c === 2) for (const s of stages) totals[s] = { ms: 0, statements: 0, begins: 0 };
  await stage('submit', () =>
    rooms.submit(Array.from({ length: 100 }, () => ({ query: benchQuery(), requester: 'c' }))),
  );
  const lease = await stage('lease', () =>
    rooms.lease(ROOM, 'bank-bench', { max: 100, visibilityMs: 600_000 }),
  );
  await stage('answer', () =>
    rooms.answer(
      ROOM,
      'bank-bench',
      lease.requests.map((r) => ({
        requestId: r.requestId,
        status: 'found',
        data: { balance: 1, currency: 'EUR' },
      })),
    ),
  );
  const { next } = await stage('pull', () => rooms.pull('c', { limit: 100 }));
  await stage('ack', async () => next && rooms.acknowledge('c', next));
}
if (process.argv.includes('--trail-only')) {
  // The ceiling the trail sets: the four records per item of a cycle, and nothing else.
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      while (done < 10_000) {
        for (const action of ['async.submit', 'async.lease', 'async.answer', 'async.deliver']) {
          await Promise.all(
            Array.from({ length: 100 }, () => {
              const q = benchQuery();
              return trail.append({
                action,
                principal: 'p',
                source: ROOM,
                subject: process.env.NO_SUBJECT ? undefined : q.subject,
                purpose: q.purpose,
                legalBasis: q.legalBasis,
                case: q.case,
                requestId: q.requestId,
              });
            }),
          );
        }
        done += 100;
      }
    }),
  );
  console.log(
    `trail only, 4 workers: ${Math.round(done / ((performance.now() - t0) / 1000))} items/s`,
  );
}
if (process.argv.includes('--rate')) {
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      while (done < 10_000) {
        await rooms.submit(
          Array.from({ length: 100 }, () => ({ query: benchQuery(), requester: `w${w}` })),
        );
        const l = await rooms.lease(ROOM, 'bank-bench', { max: 100, visibilityMs: 600_000 });
        await rooms.answer(
          ROOM,
          'bank-bench',
          l.requests.map((r) => ({
            requestId: r.requestId,
            status: 'found',
            data: { balance: 1, currency: 'EUR' },
          })),
        );
        const { answers, next } = await rooms.pull(`w${w}`, { limit: 100 });
        if (next) await rooms.acknowledge(`w${w}`, next);
        done += answers.length;
      }
    }),
  );
  console.log(`4 workers: ${Math.round(done / ((performance.now() - t0) / 1000))} items/s`);
}
console.log(`${backend} ${noTrail ? 'no trail' : 'trail'}: per batch of 100 (mean of ${CYCLES})`);
for (const s of stages) {
  const t = totals[s];
  console.log(
    `  ${s.padEnd(7)} ${(t.ms / CYCLES).toFixed(2)} ms  statements ${(t.statements / CYCLES).toFixed(1)}  begins ${(t.begins / CYCLES).toFixed(1)}`,
  );
}
if (!noTrail) await trail.close();
await store.close();
if (backend === 'postgres' && !process.env.KEEP_SCHEMA) {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.end();
}
