// Concurrent batches on the waiting rooms: repeated submits, overlapping answers, double acks.

import { testBackends } from '@interop-blocks/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceAnswer } from '../src/index.js';
import { ROOM_A, createRoomsWorld, query, type RoomsWorld } from './support/rooms-world.js';

const found = (requestId: string): SourceAnswer => ({
  requestId,
  status: 'found',
  data: { balance: 7, currency: 'EUR' },
});

describe.each(testBackends())('waiting rooms under concurrent batches on %s', (backend) => {
  let w: RoomsWorld;

  beforeEach(async () => {
    w = await createRoomsWorld(backend);
  });
  afterEach(async () => {
    await w.close();
  });

  it('stores, answers, delivers and trails each request once when batches race', async () => {
    const inputs = Array.from({ length: 30 }, (_, i) => ({
      query: query(ROOM_A, i + 1, w.clock),
      requester: 'centre',
    }));
    const ids = inputs.map((i) => i.query.requestId);

    const submits = await Promise.all([w.rooms.submit(inputs), w.rooms.submit(inputs)]);
    expect(submits.flat().filter((r) => !r.duplicate)).toHaveLength(30);

    // The same answers in opposite orders: one batch takes each request, the other sees a repeat.
    const answers = ids.map((id) => found(id));
    const outcomes = await Promise.all([
      w.rooms.answer(ROOM_A, 'bank-a', answers),
      w.rooms.answer(ROOM_A, 'bank-a', [...answers].reverse()),
    ]);
    for (const id of ids) {
      const mine = outcomes.flat().filter((o) => o.requestId === id);
      expect(mine.map((o) => o.outcome).sort()).toEqual(['accepted', 'duplicate']);
    }

    const page = await w.rooms.pull('centre', { limit: 100 });
    expect(page.answers.map((a) => a.answer.requestId).sort()).toEqual([...ids].sort());
    const acked = await Promise.all([
      w.rooms.acknowledge('centre', page.next ?? ''),
      w.rooms.acknowledge('centre', page.next ?? ''),
    ]);
    expect(acked[0] + acked[1]).toBe(30);
    expect((await w.rooms.pull('centre', { limit: 100 })).answers).toEqual([]);

    const trail = await w.trail.query({ from: 0, limit: 1000 });
    for (const id of ids) {
      const actions = trail.entries.filter((e) => e.requestId === id).map((e) => e.action);
      expect(actions).toEqual(['async.submit', 'async.answer', 'async.deliver']);
    }
  });
});
