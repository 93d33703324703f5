// Conformance suite of the waiting rooms, run on SQLite and PostgreSQL.

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { InteropError } from '@interop-blocks/core';
import { testBackends } from '@interop-blocks/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomsDb } from '../src/rooms/schema.js';
import type { LateRequest, RoomRequest, SourceAnswer } from '../src/index.js';
import {
  HOUR,
  ROOM_A,
  ROOM_B,
  createRoomsWorld,
  query,
  type RoomsWorld,
} from './support/rooms-world.js';

const found = (r: { requestId: string }, balance = 100): SourceAnswer => ({
  requestId: r.requestId,
  status: 'found',
  data: { balance, currency: 'EUR' },
  version: '2026-12-01',
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(InteropError.is(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
}

describe.each(testBackends())('waiting rooms on %s', (backend) => {
  let w: RoomsWorld;

  beforeEach(async () => {
    w = await createRoomsWorld(backend);
  });
  afterEach(async () => {
    await w.close();
  });

  const submitN = async (n: number, room = ROOM_A, extra: { callbackUrl?: string } = {}) => {
    const inputs = Array.from({ length: n }, (_, i) => ({
      query: query(room, i + 1, w.clock),
      requester: 'centre',
      ...extra,
    }));
    await w.rooms.submit(inputs);
    return inputs.map((i) => i.query);
  };
  const row = (id: string) =>
    w.t.store
      .db<RoomsDb>()
      .selectFrom('async_requests')
      .selectAll()
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
  const trailActions = async () => {
    const page = await w.trail.query({ from: 0, limit: 1000 });
    return page.entries.map((e) => `${e.action}:${e.requestId}`);
  };

  it('submits idempotently: a repeated request id is a no-op returning the first result', async () => {
    const q = query(ROOM_A, 1, w.clock);
    const first = await w.rooms.submit([{ query: q, requester: 'centre' }]);
    const again = await w.rooms.submit([
      { query: q, requester: 'centre' },
      { query: q, requester: 'centre' },
    ]);
    expect(first).toEqual([{ requestId: q.requestId, status: 'waiting', duplicate: false }]);
    expect(again.every((r) => r.duplicate && r.status === 'waiting')).toBe(true);

    const lease = await w.rooms.lease(ROOM_A, 'bank-a', { max: 10, visibilityMs: 60_000 });
    await w.rooms.answer(ROOM_A, 'bank-a', [found(lease.requests[0] as RoomRequest)]);
    const later = await w.rooms.submit([{ query: q, requester: 'centre' }]);
    expect(later[0]).toMatchObject({ status: 'answered', duplicate: true });
    expect((await trailActions()).filter((a) => a.startsWith('async.submit'))).toHaveLength(1);
  });

  it('refuses a batch with an invalid submission and stores none of it', async () => {
    const good = query(ROOM_A, 1, w.clock);
    const bad = { ...query(ROOM_A, 2, w.clock), legalBasis: '' };
    await expectCode(
      w.rooms.submit([
        { query: good, requester: 'centre' },
        { query: bad, requester: 'centre' },
      ]),
      'ASYNC_SUBMIT_INVALID',
    );
    await expectCode(
      w.rooms.submit([{ query: query('bank.z.balances', 1, w.clock), requester: 'centre' }]),
      'ASYNC_ROOM_UNKNOWN',
    );
    await expectCode(
      w.rooms.submit([{ query: good, requester: 'centre', deadline: w.clock.now() - 1 }]),
      'ASYNC_SUBMIT_INVALID',
    );
    await expectCode(
      w.rooms.submit([{ query: good, requester: 'centre', callbackUrl: 'http://x.test/cb' }]),
      'ASYNC_SUBMIT_INVALID',
    );
    const count = await w.t.store
      .db<RoomsDb>()
      .selectFrom('async_requests')
      .select('request_id')
      .execute();
    expect(count).toHaveLength(0);
  });

  it('completes a group when every member answered or expired, and reports which did which', async () => {
    const q = query('banks', 1, w.clock);
    const sent = await w.rooms.submitToGroup('banks', {
      query: q,
      requester: 'centre',
      deadline: w.clock.now() + HOUR,
    });
    expect(sent.groupRequestId).toBe(q.requestId);
    expect(sent.members).toHaveLength(2);
    const again = await w.rooms.submitToGroup('banks', { query: q, requester: 'centre' });
    expect(again.members.map((m) => m.requestId).sort()).toEqual(
      sent.members.map((m) => m.requestId).sort(),
    );
    expect(again.members.every((m) => m.duplicate)).toBe(true);

    const lease = await w.rooms.lease(ROOM_A, 'bank-a', { max: 10, visibilityMs: 60_000 });
    expect(lease.requests).toHaveLength(1);
    expect(lease.requests[0]?.groupRequestId).toBe(q.requestId);
    await w.rooms.answer(ROOM_A, 'bank-a', [found(lease.requests[0] as RoomRequest)]);
    expect((await w.rooms.groupStatus(q.requestId)).complete).toBe(false);

    w.clock.advance(HOUR);
    await w.rooms.sweep();
    const status = await w.rooms.groupStatus(q.requestId);
    expect(status.complete).toBe(true);
    expect(status.group).toBe('banks');
    expect(status.members.map((m) => [m.room, m.status])).toEqual([
      [ROOM_A, 'answered'],
      [ROOM_B, 'expired'],
    ]);
    const { answers } = await w.rooms.pull('centre', { limit: 10 });
    expect(answers.map((a) => [a.answer.source, a.answer.status, a.groupRequestId])).toEqual([
      [ROOM_A, 'found', q.requestId],
      [ROOM_B, 'expired', q.requestId],
    ]);
    await expectCode(w.rooms.groupStatus(query(ROOM_A).requestId), 'ASYNC_REQUEST_UNKNOWN');
    await expectCode(
      w.rooms.submitToGroup('nobody', { query: q, requester: 'c' }),
      'ASYNC_ROOM_UNKNOWN',
    );
  });

  it('leases with a visibility timeout that can be extended; an expired lease returns the requests', async () => {
    const queries = await submitN(3);
    const first = await w.rooms.lease(ROOM_A, 'bank-a', { max: 2, visibilityMs: 60_000 });
    const second = await w.rooms.lease(ROOM_A, 'bank-a', { max: 2, visibilityMs: 60_000 });
    expect(first.requests.map((r) => r.requestId)).toEqual(
      queries.slice(0, 2).map((q) => q.requestId),
    );
    expect(second.requests.map((r) => r.requestId)).toEqual([queries[2]?.requestId]);
    expect(first.requests[0]?.query?.subject).toEqual(queries[0]?.subject);

    w.clock.advance(50_000);
    const extended = await w.rooms.extendLease(first.leaseId, 'bank-a', 60_000);
    expect(extended.requests).toHaveLength(2);
    w.clock.advance(20_000); // the second lease expired, the first was extended
    const third = await w.rooms.lease(ROOM_A, 'bank-a', { max: 10, visibilityMs: 60_000 });
    expect(third.requests.map((r) => [r.requestId, r.attempts])).toEqual([
      [queries[2]?.requestId, 2],
    ]);
    await expectCode(w.rooms.extendLease(second.leaseId, 'bank-a', 1000), 'ASYNC_LEASE_UNKNOWN');

    w.clock.advance(60_000);
    const fourth = await w.rooms.lease(ROOM_A, 'bank-a', { max: 10, visibilityMs: 60_000 });
    expect(fourth.requests).toHaveLength(3);
    await expectCode(
      w.rooms.lease(ROOM_A, 'bank-b', { max: 1, visibilityMs: 1000 }),
      'ASYNC_SOURCE_FORBIDDEN',
    );
    await expectCode(
      w.rooms.lease(ROOM_A, 'bank-a', { max: 0, visibilityMs: 1000 }),
      'ASYNC_OPTIONS_INVALID',
    );
    expect((await w.rooms.waiting(ROOM_A, 'bank-a')).map((r) => r.status)).toEqual([
      'leased',
      'leased',
      'leased',
    ]);
  });

  it('never leases one request twice to concurrent leasers', async () => {
    const queries = await submitN(300);
    const taken: string[] = [];
    const leaser = async () => {
      for (;;) {
        const lease = await w.rooms.lease(ROOM_A, 'bank-a', { max: 17, visibilityMs: HOUR });
        if (lease.requests.length === 0) return;
        taken.push(...lease.requests.map((r) => r.requestId));
      }
    };
    await Promise.all(Array.from({ length: 6 }, leaser));
    expect(taken).toHaveLength(300);
    expect(new Set(taken).size).toBe(300);
    expect(new Set(taken)).toEqual(new Set(queries.map((q) => q.requestId)));
  });

  it('takes answers idempotently and refuses bad ones with codes', async () => {
    const [a1, a2, a3, a4, a5] = await submitN(5);
    const [b1] = await submitN(1, ROOM_B);
    await w.rooms.cancel(a4?.requestId ?? '', 'centre');
    const short = query(ROOM_A, 9, w.clock);
    await w.rooms.submit([{ query: short, requester: 'centre', deadline: w.clock.now() + 1000 }]);
    w.clock.advance(2000);

    const outcomes = await w.rooms.answer(ROOM_A, 'bank-a', [
      found(a1 as { requestId: string }),
      found(a1 as { requestId: string }),
      { requestId: a2?.requestId ?? '', status: 'not_found' },
      { requestId: a3?.requestId ?? '', status: 'found', data: { balance: 'lots' } },
      { requestId: a4?.requestId ?? '', status: 'not_found' },
      { requestId: b1?.requestId ?? '', status: 'not_found' },
      { requestId: query(ROOM_A).requestId, status: 'not_found' },
      { requestId: short.requestId, status: 'not_found' },
    ]);
    expect(outcomes.map((o) => (o.outcome === 'refused' ? o.code : o.outcome))).toEqual([
      'accepted',
      'duplicate',
      'accepted',
      'ASYNC_ANSWER_INVALID',
      'ASYNC_REQUEST_CANCELLED',
      'ASYNC_REQUEST_FOREIGN',
      'ASYNC_REQUEST_UNKNOWN',
      'ASYNC_REQUEST_EXPIRED',
    ]);
    const again = await w.rooms.answer(ROOM_A, 'bank-a', [
      found(a1 as { requestId: string }),
      found(a1 as { requestId: string }, 5),
      found(a5 as { requestId: string }),
    ]);
    expect(again.map((o) => (o.outcome === 'refused' ? o.code : o.outcome))).toEqual([
      'duplicate',
      'ASYNC_REQUEST_FINAL',
      'accepted',
    ]);
    await expectCode(
      w.rooms.answer(ROOM_A, 'bank-b', [found(a1 as { requestId: string })]),
      'ASYNC_SOURCE_FORBIDDEN',
    );

    const { answers } = await w.rooms.pull('centre', { limit: 100 });
    expect(answers.map((a) => [a.answer.requestId, a.answer.status])).toEqual([
      [a1?.requestId, 'found'],
      [a2?.requestId, 'not_found'],
      [a5?.requestId, 'found'],
    ]);
    expect(answers[0]?.answer).toMatchObject({
      data: { balance: 100, currency: 'EUR' },
      version: '2026-12-01',
    });
  });

  it('turns declines into refused answers carrying the source reason', async () => {
    const [a1] = await submitN(1);
    const decline = {
      requestId: a1?.requestId ?? '',
      reason: { code: 'BANK_NO_CLIENT', message: 'Not a client.' },
    };
    const first = await w.rooms.decline(ROOM_A, 'bank-a', [decline]);
    const second = await w.rooms.decline(ROOM_A, 'bank-a', [
      decline,
      { requestId: a1?.requestId ?? '', reason: { code: 'bad code' } },
    ]);
    expect(first).toEqual([{ requestId: a1?.requestId, outcome: 'accepted' }]);
    expect(second.map((o) => (o.outcome === 'refused' ? o.code : o.outcome))).toEqual([
      'duplicate',
      'ASYNC_ANSWER_INVALID',
    ]);
    const answered = await w.rooms.answer(ROOM_A, 'bank-a', [found(a1 as { requestId: string })]);
    expect(answered[0]).toMatchObject({ outcome: 'refused', code: 'ASYNC_REQUEST_FINAL' });
    const { answers } = await w.rooms.pull('centre', { limit: 10 });
    expect(answers[0]?.answer).toMatchObject({ status: 'refused', reason: decline.reason });
    expect((await row(a1?.requestId ?? '')).status).toBe('declined');
  });

  it('raises warning then critical lateness, and expires requests at their deadline', async () => {
    const events: LateRequest[] = [];
    const onLate = (m: unknown) => events.push(m as LateRequest);
    subscribe('interop:async:request:late', onLate);
    try {
      const [q] = await submitN(1); // deadline 10 h
      await w.rooms.lease(ROOM_A, 'bank-a', { max: 1, visibilityMs: 11 * HOUR });
      w.clock.advance(4 * HOUR);
      expect(await w.rooms.sweep()).toEqual({ expired: 0, warnings: 0, critical: 0 });
      w.clock.advance(1 * HOUR);
      expect(await w.rooms.sweep()).toEqual({ expired: 0, warnings: 1, critical: 0 });
      expect(await w.rooms.sweep()).toEqual({ expired: 0, warnings: 0, critical: 0 });
      expect(await w.rooms.late()).toMatchObject([{ requestId: q?.requestId, level: 'warning' }]);
      w.clock.advance(3 * HOUR);
      expect(await w.rooms.sweep()).toEqual({ expired: 0, warnings: 0, critical: 1 });
      expect(await w.rooms.late({ room: ROOM_A })).toMatchObject([{ level: 'critical' }]);
      expect(await w.rooms.late({ room: ROOM_B })).toEqual([]);
      w.clock.advance(2 * HOUR);
      expect(await w.rooms.sweep()).toEqual({ expired: 1, warnings: 0, critical: 0 });
      expect(await w.rooms.late()).toEqual([]);
      expect(events.map((e) => e.level)).toEqual(['warning', 'critical']);

      const { answers } = await w.rooms.pull('centre', { limit: 10 });
      expect(answers[0]?.answer).toMatchObject({
        requestId: q?.requestId,
        status: 'expired',
        reason: { code: 'ASYNC_DEADLINE_PASSED' },
      });
      const outcome = await w.rooms.answer(ROOM_A, 'bank-a', [found(q as { requestId: string })]);
      expect(outcome[0]).toMatchObject({ code: 'ASYNC_REQUEST_EXPIRED' });
    } finally {
      unsubscribe('interop:async:request:late', onLate);
    }
  });

  it('delivers each answer once by pull and acknowledge, then purges the payloads', async () => {
    const queries = await submitN(5);
    const lease = await w.rooms.lease(ROOM_A, 'bank-a', { max: 5, visibilityMs: 60_000 });
    await w.rooms.answer(
      ROOM_A,
      'bank-a',
      lease.requests.map((r) => found(r)),
    );

    const page1 = await w.rooms.pull('centre', { limit: 3 });
    const page2 = await w.rooms.pull('centre', { after: page1.next, limit: 3 });
    expect([...page1.answers, ...page2.answers].map((a) => a.answer.requestId)).toEqual(
      queries.map((q) => q.requestId),
    );
    expect(await w.rooms.acknowledge('centre', page1.next ?? '')).toBe(3);
    expect(await w.rooms.acknowledge('centre', page1.next ?? '')).toBe(0);
    const rest = await w.rooms.pull('centre', { limit: 10 });
    expect(rest.answers.map((a) => a.answer.requestId)).toEqual(
      page2.answers.map((a) => a.answer.requestId),
    );
    expect(await w.rooms.acknowledge('centre', rest.next ?? '')).toBe(2);
    expect((await w.rooms.pull('centre', { limit: 10 })).answers).toEqual([]);
    expect((await w.rooms.pull('other', { limit: 10 })).answers).toEqual([]);

    const stored = await row(queries[0]?.requestId ?? '');
    expect(stored).toMatchObject({
      query: null,
      answer: null,
      status: 'answered',
      answer_status: 'found',
    });
    expect(stored.answer_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.acknowledged_at).toBe(w.clock.now());
    await expectCode(w.rooms.acknowledge('centre', 'abc'), 'ASYNC_CURSOR_INVALID');
    await expectCode(w.rooms.acknowledge('centre', '999'), 'ASYNC_CURSOR_INVALID');
  });

  it('trails every transition with purpose, legal basis and case', async () => {
    const [q1, q2, q3, q4] = await submitN(4);
    const lease = await w.rooms.lease(ROOM_A, 'bank-a', { max: 2, visibilityMs: 60_000 });
    await w.rooms.answer(ROOM_A, 'bank-a', [found(q1 as { requestId: string })]);
    await w.rooms.decline(ROOM_A, 'bank-a', [
      { requestId: q2?.requestId ?? '', reason: { code: 'BANK_NO_CLIENT' } },
    ]);
    await w.rooms.cancel(q3?.requestId ?? '', 'centre');
    w.clock.advance(11 * HOUR);
    await w.rooms.sweep();
    const { next } = await w.rooms.pull('centre', { limit: 10 });
    await w.rooms.acknowledge('centre', next ?? '');
    expect(lease.requests).toHaveLength(2);

    const page = await w.trail.query({ from: 0, limit: 1000 });
    const byRequest = (id: string | undefined) =>
      page.entries.filter((e) => e.requestId === id).map((e) => e.action);
    expect(byRequest(q1?.requestId)).toEqual([
      'async.submit',
      'async.lease',
      'async.answer',
      'async.deliver',
    ]);
    expect(byRequest(q2?.requestId)).toEqual([
      'async.submit',
      'async.lease',
      'async.decline',
      'async.deliver',
    ]);
    expect(byRequest(q3?.requestId)).toEqual(['async.submit', 'async.cancel']);
    expect(byRequest(q4?.requestId)).toEqual(['async.submit', 'async.expire', 'async.deliver']);
    const entry = page.entries.find((e) => e.action === 'async.answer');
    expect(entry).toMatchObject({
      principal: 'bank-a',
      source: ROOM_A,
      purpose: 'child-benefit',
      legalBasis: 'ZUPJS art. 5',
      case: 'CSD-2026-0001',
      status: 'found',
      subject: { scheme: 'emso', id: 'subject-1' },
    });
    expect((await w.trail.verify()).ok).toBe(true);
  });

  it('cancels requests and group requests of their requester only', async () => {
    const [q1, q2] = await submitN(2);
    await expectCode(w.rooms.cancel(q1?.requestId ?? '', 'other'), 'ASYNC_REQUEST_FOREIGN');
    await w.rooms.cancel(q1?.requestId ?? '', 'centre');
    await w.rooms.cancel(q1?.requestId ?? '', 'centre');
    await expectCode(w.rooms.cancel(query(ROOM_A).requestId, 'centre'), 'ASYNC_REQUEST_UNKNOWN');
    const lease = await w.rooms.lease(ROOM_A, 'bank-a', { max: 10, visibilityMs: 60_000 });
    expect(lease.requests.map((r) => r.requestId)).toEqual([q2?.requestId]);
    expect(await row(q1?.requestId ?? '')).toMatchObject({ status: 'cancelled', query: null });
    await w.rooms.answer(ROOM_A, 'bank-a', [found(q2 as { requestId: string })]);
    await expectCode(w.rooms.cancel(q2?.requestId ?? '', 'centre'), 'ASYNC_REQUEST_FINAL');

    const g = query('banks', 3, w.clock);
    await w.rooms.submitToGroup('banks', { query: g, requester: 'centre' });
    await w.rooms.cancel(g.requestId, 'centre');
    const status = await w.rooms.groupStatus(g.requestId);
    expect(status).toMatchObject({ complete: true });
    expect(status.members.map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('hands callback answers to one deliverer at a time and retries until delivered', async () => {
    const [q1] = await submitN(1, ROOM_A, { callbackUrl: 'https://centre.test/answers' });
    await w.rooms.answer(ROOM_A, 'bank-a', [found(q1 as { requestId: string })]);
    expect((await w.rooms.pull('centre', { limit: 10 })).answers).toEqual([]);

    const claimed = await w.rooms.nextDeliveries({ limit: 10, claimMs: 10_000 });
    expect(claimed).toMatchObject([
      { requestId: q1?.requestId, callbackUrl: 'https://centre.test/answers', attempts: 0 },
    ]);
    expect(await w.rooms.nextDeliveries({ limit: 10 })).toEqual([]);
    await w.rooms.markDelivered([{ requestId: q1?.requestId ?? '', delivered: false }]);
    expect(await w.rooms.nextDeliveries({ limit: 10 })).toEqual([]);
    w.clock.advance(1_000);
    const retry = await w.rooms.nextDeliveries({ limit: 10 });
    expect(retry).toMatchObject([{ attempts: 1 }]);
    await w.rooms.markDelivered([{ requestId: q1?.requestId ?? '', delivered: true }]);
    await w.rooms.markDelivered([{ requestId: q1?.requestId ?? '', delivered: true }]);
    w.clock.advance(HOUR);
    expect(await w.rooms.nextDeliveries({ limit: 10 })).toEqual([]);
    expect(await row(q1?.requestId ?? '')).toMatchObject({
      query: null,
      answer: null,
      delivery_attempts: 2,
    });
    const delivered = (await w.trail.query({ from: 0, limit: 100 })).entries.filter(
      (e) => e.action === 'async.deliver',
    );
    expect(delivered).toHaveLength(1);
  });
});
