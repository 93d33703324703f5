import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InteropError, ManualClock } from '@interop-blocks/core';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import {
  openTrail,
  type OpenTrailOptions,
  type Trail,
  type TrailSigner,
  type TrailSubjectKeys,
} from '../src/index.js';
import { sampleRecord, testKeys, testSigner } from './fixtures/trail/trail-kit.js';

const PERSON = { scheme: 'emso', id: '0101006500006' };
const OTHER = { scheme: 'tax', id: '50223054' };
const DAY = 86_400_000;

let signer: TrailSigner;
let otherSigner: TrailSigner;

beforeAll(async () => {
  ({ signer } = await testSigner());
  ({ signer: otherSigner } = await testSigner('rsa-2048'));
});

function code(err: unknown): string | undefined {
  return InteropError.is(err) ? err.code : undefined;
}

describe.each(testBackends())('trail on %s', (backend) => {
  let t: TestStore;
  let keys: TrailSubjectKeys;
  let clock: ManualClock;
  const opened: Trail[] = [];

  beforeEach(async () => {
    t = await openTestStore(backend);
    keys = testKeys();
    clock = new ManualClock('2026-05-04T10:00:00Z');
  });
  afterEach(async () => {
    for (const trail of opened.splice(0)) await trail.close();
    await t.cleanup();
  });

  async function open(extra: Partial<OpenTrailOptions> = {}): Promise<Trail> {
    const trail = await openTrail({
      store: t.store,
      name: 'main',
      subjectKeys: keys,
      signer,
      clock,
      ...extra,
    });
    opened.push(trail);
    return trail;
  }

  it('acknowledges appends with consecutive positions, also in concurrent batches', async () => {
    const trail = await open({ batch: { maxRecords: 7, maxDelayMs: 1 } });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => trail.append(sampleRecord(i))),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(new Set(results.map((r) => r.hash)).size).toBe(40);
    expect(await trail.verify()).toMatchObject({ ok: true, records: 40 });
  });

  it('stores the subject only as a keyed hash and ciphertext, never in clear', async () => {
    const trail = await open();
    await trail.append({ ...sampleRecord(1), payload: Buffer.from('income 1234') });
    const rows = (await sql`select * from trail_records`.execute(t.store.db())).rows;
    const dump = JSON.stringify(rows, (_k, v: unknown) =>
      Buffer.isBuffer(v) ? v.toString('latin1') : v,
    );
    expect(dump).not.toContain(PERSON.id);
    expect(dump).not.toContain('income 1234');
    expect(dump).toContain('child-benefit');
  });

  it('finds a person however the identifier was typed, and reports what was released', async () => {
    const trail = await open();
    await trail.append({ ...sampleRecord(1), payload: Buffer.from('{"income":1234}') });
    await trail.append({ ...sampleRecord(2), subject: OTHER });
    await trail.append({ ...sampleRecord(3), subject: { scheme: 'tax', id: 'SI 50223054' } });
    await trail.append({
      action: 'authorize',
      principal: 'org:centre-1',
      decision: 'refused',
      reasonCode: 'NO_RIGHT',
    });

    const report = await trail.subjectAccessReport(
      { scheme: ' EMSO', id: '0101-0065 00006' },
      { includePayloads: true, verify: true },
    );
    expect(report.entries).toHaveLength(1);
    const [entry] = report.entries;
    expect(entry).toMatchObject({
      seq: 1,
      principal: 'org:centre-1',
      official: 'official-1',
      purpose: 'child-benefit',
      legalBasis: 'ZUPJS art. 5',
      case: 'case-0',
      status: 'found',
      subject: PERSON,
      subjectState: 'readable',
      details: { fields: 'income,year', version: 3 },
      payloadState: 'readable',
    });
    expect(Buffer.from(entry?.payload ?? []).toString()).toBe('{"income":1234}');
    expect(report.verification?.ok).toBe(true);

    const tax = await trail.query({ subject: { scheme: 'tax', id: 'SI50223054' } });
    expect(tax.entries.map((e) => e.seq)).toEqual([2, 3]);
  });

  it('stores quotes, backslashes, braces and non-ASCII text exactly, also in large batches', async () => {
    const trail = await open({ batch: { maxRecords: 600, maxDelayMs: 1 } });
    const awkward = 'Šola "ž" \\N {a,b} NULL \'x\' č 🙂';
    const results = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        trail.append({
          ...sampleRecord(i),
          official: awkward,
          case: i === 0 ? 'NULL' : `case-${i}`,
          details: { note: awkward, n: -1.5, ok: false, none: null },
          payload: i === 0 ? Buffer.from([0, 92, 34, 123, 255]) : undefined,
        }),
      ),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 600 }, (_, i) => i + 1),
    );

    const page = await trail.query({ case: 'NULL', includePayloads: true });
    expect(page.entries).toHaveLength(1);
    const [entry] = page.entries;
    expect(entry).toMatchObject({
      official: awkward,
      case: 'NULL',
      details: { note: awkward, n: -1.5, ok: false, none: null },
      reasonCode: null,
      subject: PERSON,
      payloadState: 'readable',
    });
    expect([...(entry?.payload ?? [])]).toEqual([0, 92, 34, 123, 255]);
    expect(await trail.verify()).toMatchObject({ ok: true, records: 600 });
  });

  it('queries by principal, case and period with keyset pages', async () => {
    const trail = await open();
    for (let i = 0; i < 30; i++) {
      await trail.append(sampleRecord(i));
      clock.advance(60_000);
    }
    const seen: number[] = [];
    let after: string | undefined;
    do {
      const page = await trail.query({ principal: 'org:centre-0', limit: 4, after });
      seen.push(...page.entries.map((e) => e.seq));
      after = page.next;
    } while (after);
    expect(seen).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);

    expect((await trail.query({ case: 'case-2' })).entries.map((e) => e.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => 21 + i),
    );
    const from = Date.parse('2026-05-04T10:05:00Z');
    const period = await trail.query({ from, to: from + 3 * 60_000 });
    expect(period.entries.map((e) => e.seq)).toEqual([6, 7, 8]);
    const bySource = await trail.query({ source: 'furs.income', case: 'case-0' });
    expect(bySource.entries.map((e) => e.seq)).toEqual([1, 3, 5, 7, 9]);
  });

  it('refuses queries without criteria and with foreign cursors', async () => {
    const trail = await open();
    await expect(trail.query({})).rejects.toSatisfy((e) => code(e) === 'TRAIL_QUERY_INVALID');
    await expect(trail.query({ case: 'x', after: 'abc' })).rejects.toSatisfy(
      (e) => code(e) === 'TRAIL_QUERY_INVALID',
    );
    await expect(trail.query({ case: 'x', limit: 5000 })).rejects.toSatisfy(
      (e) => code(e) === 'TRAIL_QUERY_INVALID',
    );
  });

  it('purges payload copies after their period and keeps the chain verifiable', async () => {
    const trail = await open({ retention: { payloadsAfterMs: 30 * DAY } });
    await trail.append({ ...sampleRecord(1), payload: Buffer.from('old answer') });
    clock.advance(31 * DAY);
    await trail.append({ ...sampleRecord(2), payload: Buffer.from('new answer') });

    expect(await trail.purge()).toEqual({ payloads: 1, subjects: 0, keys: 0 });
    const { entries } = await trail.query({ subject: PERSON, includePayloads: true });
    expect(entries.map((e) => e.payloadState)).toEqual(['purged', 'readable']);
    expect(entries.map((e) => e.subjectState)).toEqual(['readable', 'readable']);
    expect((await trail.verify()).ok).toBe(true);
  });

  it('purges subject copies by source policy', async () => {
    const trail = await open({
      retention: { sources: [{ source: 'bank.*', subjectsAfterMs: DAY, payloadsAfterMs: DAY }] },
    });
    await trail.append({ ...sampleRecord(0), payload: Buffer.from('a') }); // furs.income
    await trail.append({ ...sampleRecord(1), payload: Buffer.from('b') }); // bank.nlb.balances
    clock.advance(2 * DAY);

    expect(await trail.purge()).toEqual({ payloads: 1, subjects: 1, keys: 0 });
    const { entries } = await trail.query({ subject: PERSON, includePayloads: true });
    expect(entries.map((e) => [e.source, e.subjectState, e.payloadState])).toEqual([
      ['furs.income', 'readable', 'readable'],
      ['bank.nlb.balances', 'purged', 'purged'],
    ]);
    expect((await trail.verify()).ok).toBe(true);
  });

  it('deletes the data keys of old periods: the person is still found, no longer readable', async () => {
    const trail = await open({ retention: { keysAfterMs: 90 * DAY } });
    await trail.append({ ...sampleRecord(1), payload: Buffer.from('may') });
    clock.set('2026-09-01T00:00:00Z');
    await trail.append(sampleRecord(2));

    expect(await trail.purge()).toEqual({ payloads: 1, subjects: 1, keys: 1 });
    const { entries } = await trail.query({ subject: PERSON, includePayloads: true });
    expect(entries.map((e) => [e.subjectState, e.payloadState])).toEqual([
      ['purged', 'purged'],
      ['readable', 'absent'],
    ]);
    expect(entries[0]?.subject).toBeNull();
    expect((await trail.verify()).ok).toBe(true);
  });

  it('reads old records after the keys were rotated', async () => {
    const first = await open();
    await first.append(sampleRecord(1));
    await first.close();

    const rotated: TrailSubjectKeys = {
      hmacKeys: [{ id: 'h2', key: randomBytes(32) }, ...keys.hmacKeys],
      masterKeys: [{ id: 'm2', key: randomBytes(32) }, ...keys.masterKeys],
    };
    const second = await open({ subjectKeys: rotated });
    clock.set('2026-06-02T00:00:00Z');
    await second.append(sampleRecord(2));
    const { entries } = await second.query({ subject: PERSON });
    expect(entries.map((e) => [e.seq, e.subjectState])).toEqual([
      [1, 'readable'],
      [2, 'readable'],
    ]);
    const wrappedUnder = (
      await sql<{
        key_id: string;
        master_key_id: string;
      }>`select key_id, master_key_id from trail_keys order by key_id`.execute(t.store.db())
    ).rows;
    expect(wrappedUnder).toEqual([
      { key_id: '2026-05', master_key_id: 'm1' },
      { key_id: '2026-06', master_key_id: 'm2' },
    ]);
  });

  it('marks copies unreadable when the master key is gone, and refuses to write in that period', async () => {
    const first = await open();
    await first.append(sampleRecord(1));
    await first.close();

    const second = await open({
      subjectKeys: { ...keys, masterKeys: [{ id: 'other', key: randomBytes(32) }] },
    });
    const { entries } = await second.query({ subject: PERSON });
    expect(entries[0]?.subjectState).toBe('unreadable');
    await expect(second.append(sampleRecord(2))).rejects.toSatisfy(
      (e) => code(e) === 'TRAIL_KEY_UNAVAILABLE',
    );
  });

  it('signs a checkpoint every N records and after T ms', async () => {
    const trail = await open({ checkpointEvery: { records: 5, ms: 10_000 } });
    for (let i = 0; i < 12; i++) await trail.append(sampleRecord(i));
    expect((await trail.verify()).checkpoints).toBe(2);

    clock.advance(10_001);
    await trail.append(sampleRecord(12));
    const result = await trail.verify();
    expect(result.checkpoints).toBe(3);
    expect(result.ok).toBe(true);
  });

  it('refuses malformed records with the field, never the value', async () => {
    const trail = await open();
    const bad = [
      { action: 'query' },
      { action: '', principal: 'p' },
      { action: 'query', principal: 'p', decision: 'maybe' },
      { action: 'query', principal: 'p', status: 'lost' },
      { action: 'query', principal: 'p', subject: { scheme: 'emso' } },
      { action: 'query', principal: 'p', details: { nested: { a: 1 } } },
      { action: 'query', principal: 'p\u001fq' },
      { action: 'query', principal: 'p\ud800' },
    ];
    for (const input of bad) {
      const err = await trail.append(input as never).catch((e: unknown) => e);
      expect(code(err)).toBe('TRAIL_RECORD_INVALID');
    }
    const err = await trail
      .append({ action: 'query', principal: 'p', subject: { scheme: 'emso', id: 7 as never } })
      .catch((e: unknown) => e);
    expect((err as Error).message).not.toContain('7');
  });

  it('refuses bad options and a signer whose certificate is not its key', async () => {
    const base = { store: t.store, subjectKeys: keys, signer, clock };
    await expect(openTrail({ ...base, name: 'Bad Name' })).rejects.toSatisfy(
      (e) => code(e) === 'TRAIL_CONFIG_INVALID',
    );
    await expect(
      openTrail({
        ...base,
        name: 'x',
        subjectKeys: { ...keys, hmacKeys: [{ id: 'h', key: randomBytes(16) }] },
      }),
    ).rejects.toSatisfy((e) => code(e) === 'TRAIL_CONFIG_INVALID');
    const mismatched = { ...signer, certificateChainPem: otherSigner.certificateChainPem };
    await expect(openTrail({ ...base, name: 'x', signer: mismatched })).rejects.toSatisfy(
      (e) => code(e) === 'TRAIL_SIGNER_FAILED',
    );
  });

  it('refuses appends after close and aborted appends', async () => {
    const trail = await open({ batch: { maxRecords: 100, maxDelayMs: 60_000 } });
    const controller = new AbortController();
    const pending = trail.append(sampleRecord(1), { signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    await expect(pending).rejects.toSatisfy((e) => code(e) === 'TRAIL_APPEND_ABORTED');
    await expect(trail.append(sampleRecord(2), { signal: AbortSignal.abort() })).rejects.toSatisfy(
      (e) => code(e) === 'TRAIL_APPEND_ABORTED',
    );
    await trail.flush();
    expect((await trail.verify()).records).toBe(0);

    const kept = trail.append(sampleRecord(3));
    await trail.close();
    expect((await kept).seq).toBe(1);
    await expect(trail.append(sampleRecord(4))).rejects.toSatisfy(
      (e) => code(e) === 'TRAIL_CLOSED',
    );
  });

  it('makes appends wait for room when the queue is full', async () => {
    const trail = await open({ batch: { maxRecords: 2, maxQueued: 2, maxDelayMs: 0 } });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => trail.append(sampleRecord(i))),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
  });
});
