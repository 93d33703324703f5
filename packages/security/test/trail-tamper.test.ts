import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import {
  openTrail,
  recordCanonical,
  type HashedColumns,
  type Trail,
  type TrailSigner,
} from '../src/index.js';
import { sampleRecord, testKeys, testSigner } from './fixtures/trail/trail-kit.js';

let signer: TrailSigner;

beforeAll(async () => {
  ({ signer } = await testSigner());
});

/** The kinds and positions verify() reports. */
function found(problems: { kind: string; seq: number }[]): string[] {
  return problems.map((p) => `${p.kind}@${p.seq}`);
}

describe.each(testBackends())('trail tampering on %s', (backend) => {
  let t: TestStore;
  let trail: Trail;

  beforeEach(async () => {
    t = await openTestStore(backend);
    trail = await openTrail({
      store: t.store,
      name: 'tamper',
      subjectKeys: testKeys(),
      signer,
      clock: new ManualClock('2026-05-04T10:00:00Z'),
      checkpointEvery: { records: 1_000_000 },
    });
    for (let i = 0; i < 20; i++) await trail.append(sampleRecord(i));
  });
  afterEach(async () => {
    await trail.close();
    await t.cleanup();
  });

  const run = (statement: ReturnType<typeof sql>) => statement.execute(t.store.db());
  const row = async (seq: number) =>
    (await sql<HashedColumns>`select * from trail_records where seq = ${seq}`.execute(t.store.db()))
      .rows[0] as HashedColumns;
  const rehash = (r: Omit<HashedColumns, 'hash' | 'seq'>) =>
    createHash('sha256').update(recordCanonical(r)).digest('hex');
  /** Moves records from..head up by one, in two steps (PostgreSQL checks the key per row). */
  const shiftUp = async (from: number) => {
    await run(sql`update trail_records set seq = -seq where seq >= ${from}`);
    await run(sql`update trail_records set seq = 1 - seq where seq < 0`);
  };

  it('verifies an untouched chain', async () => {
    const result = await trail.verify();
    expect(result).toMatchObject({ ok: true, records: 20, problems: [] });
    expect(result.head?.seq).toBe(20);
  });

  it('finds an edited field, at its position', async () => {
    await run(sql`update trail_records set purpose = 'marketing' where seq = 7`);
    expect(found((await trail.verify()).problems)).toEqual(['edited@7']);
  });

  it('finds an edited and re-hashed record by the next link', async () => {
    const r = await row(7);
    const forged = { ...r, legal_basis: 'none' };
    await run(
      sql`update trail_records set legal_basis = 'none', hash = ${rehash(forged)} where seq = 7`,
    );
    expect(found((await trail.verify()).problems)).toEqual(['edited@7']);
  });

  it('finds a deleted record', async () => {
    await run(sql`delete from trail_records where seq = 7`);
    expect(found((await trail.verify()).problems)).toEqual(['deleted@7']);
  });

  it('finds an inserted record, even one forged with a correct link and hash', async () => {
    const before = await row(6);
    await shiftUp(7);
    const empty = Object.fromEntries(Object.keys(before).map((k) => [k, null]));
    const forged = {
      ...empty,
      trail: 'tamper',
      format: 1,
      time: before.time,
      prev_hash: before.hash,
      action: 'query',
      principal: 'org:intruder',
    } as HashedColumns;
    const hash = rehash(forged);
    await run(sql`insert into trail_records (trail, seq, format, time, prev_hash, hash, action, principal)
      values ('tamper', 7, 1, ${forged.time}, ${forged.prev_hash}, ${hash}, ${forged.action}, 'org:intruder')`);
    await run(sql`update trail_heads set seq = 21 where name = 'tamper'`);
    expect(found((await trail.verify()).problems)).toEqual(['inserted@7']);
  });

  it('finds an inserted record with a made-up link', async () => {
    await shiftUp(7);
    await run(sql`insert into trail_records (trail, seq, format, time, prev_hash, hash, action, principal)
      values ('tamper', 7, 1, 0, ${'ab'.repeat(32)}, ${'cd'.repeat(32)}, 'query', 'org:intruder')`);
    await run(sql`update trail_heads set seq = 21 where name = 'tamper'`);
    expect(found((await trail.verify()).problems)).toEqual(['inserted@7']);
  });

  it('finds two swapped records', async () => {
    await run(sql`update trail_records set seq = -1 where seq = 7`);
    await run(sql`update trail_records set seq = 7 where seq = 12`);
    await run(sql`update trail_records set seq = 12 where seq = -1`);
    expect(found((await trail.verify()).problems)).toEqual(['reordered@7', 'reordered@12']);
  });

  it('finds two swapped neighbours', async () => {
    await run(sql`update trail_records set seq = -1 where seq = 7`);
    await run(sql`update trail_records set seq = 7 where seq = 8`);
    await run(sql`update trail_records set seq = 8 where seq = -1`);
    expect(found((await trail.verify()).problems)).toEqual(['reordered@7', 'reordered@8']);
  });

  it('finds the tail truncated after a checkpoint, even with the head row rewound', async () => {
    const checkpoint = await trail.checkpoint();
    expect(checkpoint?.seq).toBe(20);
    const r15 = await row(15);
    await run(sql`delete from trail_records where seq > 15`);
    await run(sql`update trail_heads set seq = 15, hash = ${r15.hash} where name = 'tamper'`);
    expect(found((await trail.verify()).problems)).toEqual(['truncated@16']);
  });

  it('finds a chain rewritten after a checkpoint by the signed head', async () => {
    await trail.checkpoint();
    let prev = (await row(4)).hash;
    for (let seq = 5; seq <= 20; seq++) {
      const r = await row(seq);
      const forged = { ...r, prev_hash: prev, principal: seq === 5 ? 'org:intruder' : r.principal };
      const hash = rehash(forged);
      await run(sql`update trail_records set principal = ${forged.principal}, prev_hash = ${prev},
        hash = ${hash} where seq = ${seq}`);
      prev = hash;
    }
    const result = await trail.verify();
    expect(found(result.problems)).toEqual(['edited@20']);
    expect(result.problems[0]?.detail).toMatch(/signed checkpoint/);
  });

  it('finds a checkpoint whose signature does not verify', async () => {
    await trail.checkpoint();
    await run(sql`update trail_checkpoints set time = time + 1 where seq = 20`);
    expect(found((await trail.verify()).problems)).toEqual(['checkpoint-invalid@20']);
  });

  it('refuses checkpoints of a signer that is not accepted', async () => {
    await trail.checkpoint();
    const result = await trail.verify({ acceptedSigners: ['00'.repeat(32)] });
    expect(found(result.problems)).toEqual(['checkpoint-invalid@20']);
  });

  it('verifies a range and finds damage inside it only', async () => {
    await run(sql`update trail_records set purpose = 'marketing' where seq = 3`);
    await run(sql`update trail_records set purpose = 'marketing' where seq = 12`);
    const result = await trail.verify({ from: 10, to: 15 });
    expect(result.records).toBe(6);
    expect(found(result.problems)).toEqual(['edited@12']);
  });
});
