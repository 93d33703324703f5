import { newId } from '@interop-blocks/core';
import { parseCertificates, parseXmlSafely, signXml, verifyXml } from '@interop-blocks/security';
import { request } from 'undici';
import { create } from 'xmlbuilder2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_NAMESPACE } from '../src/index.js';
import { BATCH_ELEMENTS, BATCH_SIMPLE_TYPES } from '../src/files/batch-schema.js';
import { validateBatch } from '../src/files/validate-batch.js';
import { ROOM_A, createEdgeWorld, type EdgeWorld } from './support/edge-world.js';
import { readXsd } from './support/read-xsd.js';

const XSD = new URL('../schemas/async-batch.xsd', import.meta.url);

describe('the batch XSD and the validator', () => {
  it('declare the same elements, attributes, order, cardinalities and simple types', () => {
    const xsd = readXsd(XSD);
    expect(xsd.elements).toEqual(BATCH_ELEMENTS);
    expect(xsd.simpleTypes).toEqual(BATCH_SIMPLE_TYPES);
  });
});

type Item =
  | { kind: 'answer'; requestId: string; status: string; data?: unknown; extra?: boolean }
  | { kind: 'decline'; requestId: string; code: string };

/** An AnswerBatch, one element per line (pretty-printed), signed by `org`. */
function answerFile(w: EdgeWorld, items: Item[], o: { room?: string; org?: string } = {}): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(BATCH_NAMESPACE, 'AnswerBatch', {
    version: '1',
    room: o.room ?? ROOM_A,
    createdAt: new Date().toISOString(),
  });
  for (const item of items) {
    if (item.kind === 'decline') {
      root.ele('Decline', { requestId: item.requestId, code: item.code });
      continue;
    }
    const answer = root.ele('Answer', { requestId: item.requestId, status: item.status });
    if (item.data !== undefined) answer.ele('Data').txt(JSON.stringify(item.data));
    if (item.extra) answer.ele('Version').txt('v1');
  }
  const signer = w.identity(o.org ?? 'bank-a');
  return signXml(root.end({ prettyPrint: true }), {
    privateKey: signer.key,
    certificates: parseCertificates(signer.chainPem),
  });
}

describe('file exchange of a source', () => {
  let w: EdgeWorld;
  beforeEach(async () => {
    w = await createEdgeWorld('sqlite');
  });
  afterEach(async () => {
    await w.close();
  });

  const upload = async (xml: string | Buffer, as = 'bank-a') => {
    const res = await request(`${w.server.url}/async/v1/rooms/${ROOM_A}/files/answers`, {
      method: 'POST',
      dispatcher: w.agent(w.identity(as)),
      headers: { 'content-type': 'application/xml' },
      body: xml,
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  };
  const download = async () => {
    const res = await request(`${w.server.url}/async/v1/rooms/${ROOM_A}/files/requests?max=10`, {
      method: 'POST',
      dispatcher: w.agent(w.identity('bank-a')),
    });
    return {
      status: res.statusCode,
      text: await res.body.text(),
      type: res.headers['content-type'],
    };
  };

  it('downloads a signed, schema-valid request file and uploads a signed answer file', async () => {
    const [q1, q2] = [w.query(1, { referenceDate: '2026-11-30' }), w.query(2)];
    await w.post('/async/v1/requests', {
      messageId: newId(),
      requests: [{ query: q1 }, { query: q2 }],
    });

    const file = await download();
    expect([file.status, file.type]).toEqual([200, 'application/xml; charset=utf-8']);
    const verified = await verifyXml(file.text, { trust: w.validator });
    expect(verified.signer.fingerprintSha256).toBe(
      parseCertificates(w.identity('hub').chainPem)[0]!.fingerprintSha256,
    );
    validateBatch(parseXmlSafely(file.text).documentElement!, 'RequestBatch');
    expect(file.text).toContain(`requestId="${q1.requestId}"`);
    expect(file.text).toContain('<ReferenceDate>2026-11-30</ReferenceDate>');

    const uploaded = await upload(
      answerFile(w, [
        {
          kind: 'answer',
          requestId: q1.requestId,
          status: 'found',
          data: { balance: 3, currency: 'EUR' },
        },
        { kind: 'decline', requestId: q2.requestId, code: 'BANK_NO_CLIENT' },
      ]),
    );
    expect(uploaded).toEqual({
      status: 200,
      body: {
        outcomes: [
          { requestId: q1.requestId, outcome: 'accepted' },
          { requestId: q2.requestId, outcome: 'accepted' },
        ],
      },
    });
    const pulled = (await w.get('/async/v1/answers')).body.answers as {
      answer: { status: string };
    }[];
    expect(pulled.map((a) => a.answer.status)).toEqual(['found', 'refused']);
  });

  it('rejects bad files whole, with the line of the fault, and changes nothing', async () => {
    const q = w.query(3);
    await w.post('/async/v1/requests', { messageId: newId(), requests: [{ query: q }] });
    await download();
    const good: Item = { kind: 'answer', requestId: q.requestId, status: 'not_found' };

    const lineOf = (xml: string, needle: string) =>
      xml.split('\n').findIndex((line) => line.includes(needle)) + 1;
    const wrongOrder = answerFile(w, [
      { ...good, data: { balance: 1, currency: 'EUR' }, extra: true },
    ]);
    const badStatus = answerFile(w, [
      good,
      { kind: 'answer', requestId: newId(), status: 'maybe' },
    ]);
    const twice = answerFile(w, [
      good,
      { kind: 'decline', requestId: q.requestId, code: 'BANK_X' },
    ]);
    const tampered = answerFile(w, [good]).replace('status="not_found"', 'status="found"');
    const cases: [string | Buffer, string, Record<string, unknown>, string?][] = [
      [
        wrongOrder,
        'ASYNC_FILE_INVALID',
        { line: lineOf(wrongOrder, '<Version>'), element: 'Version' },
      ],
      [badStatus, 'ASYNC_FILE_INVALID', { line: lineOf(badStatus, 'maybe'), attribute: 'status' }],
      [twice, 'ASYNC_FILE_DUPLICATE_ID', { line: lineOf(twice, '<Decline') }],
      // The unclosed Answer on line 2 is the fault.
      ['<AnswerBatch>\n<Answer>\n</AnswerBatch>', 'ASYNC_FILE_MALFORMED', { line: 2 }],
      [tampered, 'ASYNC_FILE_SIGNATURE_INVALID', { xmlCode: 'XML_DIGEST_MISMATCH' }],
      [answerFile(w, [good], { org: 'bank-b' }), 'ASYNC_FILE_SIGNER_MISMATCH', {}],
      [answerFile(w, [good], { room: 'bank.b.balances' }), 'ASYNC_FILE_ROOM_MISMATCH', {}],
      [answerFile(w, [good]), 'ASYNC_NOT_ROOM_OWNER', {}, 'bank-b'],
    ];
    for (const [xml, code, context, as] of cases) {
      const res = await upload(xml, as);
      const error = res.body.error as { code: string; context: Record<string, unknown> };
      expect([res.status >= 400 && res.status < 500, error.code]).toEqual([true, code]);
      expect(error.context).toMatchObject(context);
    }

    expect((await w.get('/async/v1/answers')).body.answers).toEqual([]);
    const accepted = await upload(answerFile(w, [good]));
    expect(accepted.body.outcomes).toEqual([{ requestId: q.requestId, outcome: 'accepted' }]);
  });
});

describe('the strict validator', () => {
  const NS = BATCH_NAMESPACE;
  const id = '0193a6b2-0000-7000-8000-000000000001';
  const sig = '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>';
  const batch = (
    inner: string,
    attrs = 'version="1" room="bank.a.balances" createdAt="2026-12-01T10:00:00Z"',
  ) => `<AnswerBatch xmlns="${NS}" ${attrs}>\n${inner}\n${sig}\n</AnswerBatch>`;
  const fault = (xml: string) => {
    try {
      validateBatch(parseXmlSafely(xml).documentElement!, 'AnswerBatch');
      return undefined;
    } catch (err) {
      return (err as { code: string; context: Record<string, unknown> }).context;
    }
  };

  it('accepts a minimal valid batch', () => {
    expect(fault(batch(`<Answer requestId="${id}" status="not_found"/>`))).toBeUndefined();
  });

  it('refuses each kind of departure from the XSD, at the right line', () => {
    const answer = `<Answer requestId="${id}" status="not_found"/>`;
    expect(fault(batch(''))).toMatchObject({
      rule: 'missing-element',
      element: 'Signature',
      line: 3,
    });
    expect(fault(batch(`<Answer requestId="${id}" status="found" colour="red"/>`))).toMatchObject({
      rule: 'unknown-attribute',
      attribute: 'colour',
      line: 2,
    });
    expect(fault(batch(`<Answer status="found"/>`))).toMatchObject({
      rule: 'missing-attribute',
      attribute: 'requestId',
    });
    expect(
      fault(
        batch(`<Answer requestId="${id}" status="found"><Data>{}</Data><Data>{}</Data></Answer>`),
      ),
    ).toMatchObject({
      rule: 'unexpected-element',
      element: 'Data',
    });
    expect(fault(batch(`${answer}\ntext`))).toMatchObject({ rule: 'unexpected-text' });
    expect(
      fault(batch(answer, 'version="2" room="bank.a.balances" createdAt="2026-12-01T10:00:00Z"')),
    ).toMatchObject({
      rule: 'type',
      attribute: 'version',
    });
    expect(
      fault(batch(answer, 'version="1" room="bank.a.balances" createdAt="yesterday"')),
    ).toMatchObject({
      rule: 'type',
      attribute: 'createdAt',
    });
    expect(
      fault(batch(`<Answer xmlns="urn:other" requestId="${id}" status="found"/>`)),
    ).toMatchObject({
      rule: 'missing-element',
    });
    expect(fault(`<RequestBatch xmlns="${NS}"/>`)).toMatchObject({ rule: 'root' });
  });
});
