// The three systems the async-module benchmark drives through the same cycle of 100 items:
// the waiting rooms (trail on), pg-boss 10 with its batch APIs, and a bare one-table queue.
import { randomBytes } from 'node:crypto';
import { newId, openStore } from '@interop-blocks/core';
import { createDevPki, createKeySigner, openTrail } from '@interop-blocks/security';
import { openWaitingRooms } from '@interop-blocks/async-module';
import pg from 'pg';
import PgBoss from 'pg-boss';

export const ROOM = 'bank.bench.balances';
const OWNER = 'bank-bench';
const BATCH = 100;
const answerSchema = {
  type: 'object',
  properties: { balance: { type: 'number' }, currency: { type: 'string' } },
  required: ['balance', 'currency'],
  additionalProperties: false,
};

let seq = 0;
/** A query envelope as the Tray would send it. */
export function benchQuery(source = ROOM) {
  seq += 1;
  return {
    requestId: newId(),
    issuedAt: new Date().toISOString(),
    source,
    subject: { scheme: 'emso', id: `subject-${seq}` },
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    case: `CSD-2026-${seq}`,
    organisation: 'centre',
    official: 'official-7',
  };
}

let signer;
async function trailSigner() {
  if (!signer) {
    const pki = await createDevPki({ organisations: [{ name: 'Hub Bench', id: 'hub' }] });
    const hub = pki.organisation('hub').client;
    signer = createKeySigner({ privateKey: hub.keyPem, certificateChainPem: hub.chainPem });
  }
  return signer;
}

/** The trail the rooms write to, as the rooms benchmark configures it. */
async function benchTrail(store) {
  return openTrail({
    store,
    name: 'async-module',
    subjectKeys: {
      hmacKeys: [{ id: 'h1', key: randomBytes(32) }],
      masterKeys: [{ id: 'm1', key: randomBytes(32) }],
    },
    signer: await trailSigner(),
    batch: { maxRecords: 2_000, maxDelayMs: 2 },
  });
}

/** The waiting rooms on `url`, with the trail on; `cycle(w)` runs one full cycle of 100. */
export async function roomsSystem(url, workers) {
  const store = await openStore(url, { poolSize: 10 });
  const trail = await benchTrail(store);
  const rooms = await openWaitingRooms({
    store,
    trail,
    rooms: [{ id: ROOM, owner: OWNER, answerSchema, defaultDeadlineMs: 86_400_000 }],
  });
  const requester = (i) => `centre-${i % workers}`;

  return {
    async fill(count) {
      for (let i = 0; i < count; i += 1_000) {
        const n = Math.min(1_000, count - i);
        const inputs = Array.from({ length: n }, (_, k) => ({
          query: benchQuery(),
          requester: requester(i + k),
        }));
        await rooms.submit(inputs);
      }
    },
    async cycle(w) {
      await rooms.submit(
        Array.from({ length: BATCH }, () => ({ query: benchQuery(), requester: requester(w) })),
      );
      const lease = await rooms.lease(ROOM, OWNER, { max: BATCH, visibilityMs: 600_000 });
      await rooms.answer(
        ROOM,
        OWNER,
        lease.requests.map((r) => ({
          requestId: r.requestId,
          status: 'found',
          data: { balance: 1, currency: 'EUR' },
        })),
      );
      const { answers, next } = await rooms.pull(requester(w), { limit: BATCH });
      if (next) await rooms.acknowledge(requester(w), next);
      return answers.length;
    },
    async close() {
      await trail.close();
      await store.close();
    },
  };
}

/**
 * The ceiling the trail sets on the rooms: a cycle appends the four records a request leaves
 * (submit, lease, answer, deliver) for 100 requests, batch by batch as the rooms do, and nothing
 * else. Not a target; it shows how much of the rooms' time the trail takes.
 */
export async function trailOnlySystem(url) {
  const store = await openStore(url, { poolSize: 10 });
  const trail = await benchTrail(store);
  const actions = ['async.submit', 'async.lease', 'async.answer', 'async.deliver'];
  return {
    async cycle() {
      const queries = Array.from({ length: BATCH }, () => benchQuery());
      for (const action of actions) {
        await Promise.all(
          queries.map((q) =>
            trail.append({
              action,
              principal: OWNER,
              source: ROOM,
              subject: q.subject,
              purpose: q.purpose,
              legalBasis: q.legalBasis,
              case: q.case,
              requestId: q.requestId,
            }),
          ),
        );
      }
      return BATCH;
    },
    async close() {
      await trail.close();
      await store.close();
    },
  };
}

/** A bare queue: one table, insert, batched fetch by FOR UPDATE SKIP LOCKED, complete by delete. */
export async function bareSystem(connectionString, schema) {
  const pool = new pg.Pool({ connectionString, max: 10 });
  await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.query(`create schema ${schema}`);
  await pool.query(`create table ${schema}.q (id bigserial primary key, status text not null default 'waiting',
    leased_until bigint, payload text not null)`);
  await pool.query(`create index q_waiting on ${schema}.q (id) where status = 'waiting'`);

  const insert = async (n) => {
    const payloads = Array.from({ length: n }, () => JSON.stringify(benchQuery()));
    await pool.query(`insert into ${schema}.q (payload) select unnest($1::text[])`, [payloads]);
  };
  return {
    async fill(count) {
      for (let i = 0; i < count; i += 1_000) await insert(Math.min(1_000, count - i));
    },
    async cycle() {
      await insert(BATCH);
      const { rows } = await pool.query(
        `update ${schema}.q set status = 'active', leased_until = $2 where id in (
           select id from ${schema}.q where status = 'waiting' order by id limit $1 for update skip locked)
         returning id, payload`,
        [BATCH, Date.now() + 600_000],
      );
      await pool.query(`delete from ${schema}.q where id = any($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    },
    async close() {
      await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
    },
  };
}

/** pg-boss 10: insert (batch), fetch (batchSize), complete (ids). */
export async function pgBossSystem(connectionString, schema) {
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
  const boss = new PgBoss({ connectionString, schema, max: 10, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  const queue = 'bank-bench';
  await boss.createQueue(queue);
  const insert = (n) =>
    boss.insert(Array.from({ length: n }, () => ({ name: queue, data: benchQuery() })));

  return {
    async fill(count) {
      for (let i = 0; i < count; i += 1_000) await insert(Math.min(1_000, count - i));
    },
    async cycle() {
      await insert(BATCH);
      const jobs = await boss.fetch(queue, { batchSize: BATCH });
      if (jobs.length > 0)
        await boss.complete(
          queue,
          jobs.map((j) => j.id),
        );
      return jobs.length;
    },
    async close() {
      await boss.stop({ graceful: false, wait: true });
      const c = new pg.Client({ connectionString });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
