import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIoWorld, queryBody, type IoWorld } from './support/io-world.js';
import { seededRandom } from './support/seeded-random.js';
import { queryElement, readFault, signedQuery } from './support/soap-client.js';

const ODD_TEXT = ['', ' ', '\u0001', '\ud800', 'ß'.repeat(300), '&amp;', '<![CDATA[x]]>', '42'];

const INJECTIONS = [
  '<!DOCTYPE soap:Envelope [<!ENTITY a "aaaaaaaaaa">]>',
  '<?xml-stylesheet href="x"?>',
  '<!-- a comment -->',
  `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`,
  '<soap:Body></soap:Body>',
  '<x:h xmlns:x="urn:x" soap:mustUnderstand="1"/>',
  '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>',
];

describe('fuzzing the SOAP binding', () => {
  let world: IoWorld;

  beforeAll(async () => {
    world = await createIoWorld('sqlite');
  });
  afterAll(async () => {
    await world?.close();
  });

  /** One mutated envelope: bytes, structure, re-signed odd values, or injected constructs. */
  const mutate = (random: () => number): Buffer => {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const centre = world.pki.organisation('centre').client;
    const base = queryBody([Math.floor(random() * 30)]);
    const kind = Math.floor(random() * 5);

    if (kind === 2 || kind === 3) {
      const fields: Record<string, unknown> = { ...base };
      const key = pick(Object.keys(fields));
      if (kind === 2) fields[key] = pick(ODD_TEXT);
      else delete fields[key];
      return Buffer.from(signedQuery(queryElement(fields), centre));
    }
    const envelope = signedQuery(queryElement(base), centre);
    if (kind === 0) {
      const bytes = Buffer.from(envelope);
      for (let i = 0; i < 1 + random() * 8; i++)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      return bytes;
    }
    if (kind === 1) return Buffer.from(envelope.slice(0, Math.floor(random() * envelope.length)));
    const at = Math.floor(random() * envelope.length);
    return Buffer.from(`${envelope.slice(0, at)}${pick(INJECTIONS)}${envelope.slice(at)}`);
  };

  it('answers 600 mutated envelopes with coded Faults, no 5xx, and still answers afterwards', async () => {
    const internal: unknown[] = [];
    const onInternal = (message: unknown): void =>
      void internal.push((message as { error: unknown }).error);
    subscribe('interop:io:query:internal-error', onInternal);
    const random = seededRandom(20261204);
    const codes = new Map<string, number>();
    const failures: string[] = [];
    let next = 0;

    const worker = async (): Promise<void> => {
      while (next < 600) {
        next++;
        const reply = await world.soapQuery(mutate(random));
        if (reply.status === 200) continue;
        const { code } = readFault(reply.raw);
        codes.set(code ?? 'none', (codes.get(code ?? 'none') ?? 0) + 1);
        if ((reply.status >= 500 || !code?.startsWith('IO_')) && failures.length < 5)
          failures.push(`${reply.status} ${code}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker)).finally(() =>
      unsubscribe('interop:io:query:internal-error', onInternal),
    );
    expect(internal.map((e) => String(e))).toEqual([]);
    expect(failures).toEqual([]);
    expect(codes.get('IO_XML_MALFORMED') ?? 0).toBeGreaterThan(20);
    expect(codes.get('IO_SIGNATURE_INVALID') ?? 0).toBeGreaterThan(20);

    const envelope = signedQuery(
      queryElement(queryBody([1, 2])),
      world.pki.organisation('centre').client,
    );
    expect((await world.soapQuery(envelope)).status).toBe(200);
  }, 60_000);
});
