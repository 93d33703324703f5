import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIoWorld, queryBody, type IoWorld } from './support/io-world.js';

/** A small seeded generator, so that a failing run can be replayed with the same seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  ' ',
  '\u0000',
  '\ud800',
  'ß'.repeat(300),
  [],
  {},
  [[[[]]]],
  { $ref: '#' },
];

/** One mutation of a valid query: bytes, structure, or values. */
function mutate(
  random: () => number,
  base: Record<string, unknown>,
): { body: Buffer; signBody: boolean } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const kind = Math.floor(random() * 6);
  const json = JSON.stringify(base);

  if (kind === 0) {
    const bytes = Buffer.from(json);
    for (let i = 0; i < 1 + random() * 8; i++)
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return { body: bytes, signBody: random() < 0.5 };
  }
  if (kind === 1)
    return { body: Buffer.from(json.slice(0, Math.floor(random() * json.length))), signBody: true };
  if (kind === 2) {
    const copy: Record<string, unknown> = structuredClone(base);
    copy[pick(Object.keys(copy))] = pick(ODD_VALUES);
    return { body: Buffer.from(JSON.stringify(copy)), signBody: true };
  }
  if (kind === 3) {
    const copy: Record<string, unknown> = structuredClone(base);
    delete copy[pick(Object.keys(copy))];
    copy[`x${Math.floor(random() * 1000)}`] = pick(ODD_VALUES);
    return { body: Buffer.from(JSON.stringify(copy)), signBody: true };
  }
  if (kind === 4) {
    const subjects = Array.from({ length: Math.floor(random() * 5) }, () => ({
      scheme: pick(['emso', 'tax', 'EMSO', 'iban', '']),
      id: String(Math.floor(random() * 1e13)).padStart(Math.floor(random() * 15), '0'),
    }));
    return { body: Buffer.from(JSON.stringify({ ...base, subjects })), signBody: true };
  }
  const nested = '['.repeat(Math.floor(random() * 5000)) + ']'.repeat(Math.floor(random() * 5000));
  return {
    body: Buffer.from(pick([nested, '"string"', '42', 'null', '[]', json + json])),
    signBody: random() < 0.5,
  };
}

describe('fuzzing the query service', () => {
  let world: IoWorld;

  beforeAll(async () => {
    world = await createIoWorld('sqlite');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('answers 10,000 mutated requests without a 5xx, and still answers correctly afterwards', async () => {
    const internal: unknown[] = [];
    const onInternal = (message: unknown): void =>
      void internal.push((message as { error: unknown }).error);
    subscribe('interop:io:query:internal-error', onInternal);
    const random = seeded(20261203);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const total = 10_000;
    let next = 0;

    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        const base = queryBody([Math.floor(random() * 30)]);
        const { body, signBody } = mutate(random, base);
        const reply = await world.query(base, {
          rawBody: body,
          ...(signBody ? {} : { signature: random() < 0.5 ? null : 'e30..AAAA' }),
        });
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500 && failures.length < 5)
          failures.push(body.toString().slice(0, 120));
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker)).finally(() =>
      unsubscribe('interop:io:query:internal-error', onInternal),
    );
    expect(internal.map((e) => String(e))).toEqual([]);
    expect(failures).toEqual([]);

    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(1000);
    const after = await world.query(queryBody([1, 2]));
    expect(after.status).toBe(200);
    expect((after.body.answers as { status: string }[]).map((a) => a.status)).toEqual([
      'found',
      'found',
    ]);
  }, 120_000);
});
