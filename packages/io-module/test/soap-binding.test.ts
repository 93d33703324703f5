import { ManualClock } from '@interop-blocks/core';
import { testBackends } from '@interop-blocks/core/testing';
import {
  parseCertificates,
  parseXmlSafely,
  requestHash,
  verifySoapEnvelope,
} from '@interop-blocks/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetNamespace } from '../src/index.js';
import { emso } from './fixtures/income-dataset.js';
import { createIoWorld, queryBody, type IoWorld } from './support/io-world.js';
import { queryElement, readAnswers, readFault, signedQuery } from './support/soap-client.js';

const XSD = 'http://www.w3.org/2001/XMLSchema';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

describe.each(testBackends())('SOAP binding on %s', (backend) => {
  let world: IoWorld;
  const centre = () => world.pki.organisation('centre').client;
  const signed = (fields: Record<string, unknown>): string =>
    signedQuery(queryElement(fields), centre());

  /** Sends a query and verifies the signed answer as the consumer would. */
  const ask = async (fields: Record<string, unknown>) => {
    const reply = await world.soapQuery(signed(fields));
    expect(reply.status).toBe(200);
    const verified = await verifySoapEnvelope(reply.raw, { trust: world.validator });
    return { reply, verified, read: readAnswers(verified.body) };
  };

  const signedEnvelopeOf = (n: number): string => signed(queryBody([n]));
  const unsignedEnvelopeOf = (n: number): string =>
    `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${queryElement(queryBody([n]))}` +
    '</soap:Body></soap:Envelope>';

  const refusal = async (envelope: string | Buffer, options = {}) => {
    const reply = await world.soapQuery(envelope, options);
    expect(reply.contentType).toMatch(/^text\/xml/);
    return { status: reply.status, ...readFault(reply.raw) };
  };

  beforeAll(async () => {
    world = await createIoWorld(backend);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('answers found and not found, signed by the owner and bound to the request', async () => {
    const { reply, verified, read } = await ask(queryBody([1, 2, 999]));

    const owner = parseCertificates(world.pki.organisation('owner').client.chainPem)[0]!;
    expect(verified.signer.fingerprintSha256).toBe(owner.fingerprintSha256);
    expect(read.namespace).toBe(datasetNamespace('furs.income'));
    expect(read.requestHash).toBe(requestHash(reply.requestBody));
    expect(read.answers.map((a) => a.status)).toEqual(['found', 'found', 'not_found']);
    expect(read.answers[2]!.subject).toEqual({ scheme: 'emso', id: emso(999) });
    expect(read.answers[0]!.version).toMatch(/^\d+$/);
    // Minimised: child benefit sees month and amount only, values as text.
    expect(read.answers[0]!.records).toEqual([
      { month: '2025-01', amount: '1000' },
      { month: '2025-02', amount: '1001' },
      { month: '2025-03', amount: '1002' },
    ]);
  });

  it('narrows the fields of the purpose by the fields of the right', async () => {
    await world.admin.grant(
      {
        principalId: 'centre',
        action: 'query',
        source: 'furs.income',
        purposes: ['cash-social-assistance'],
        fields: ['month', 'payer'],
      },
      { by: { principal: 'owner', official: 'admin-1' }, reason: 'test' },
    );
    const { read } = await ask(queryBody([4], { purpose: 'cash-social-assistance' }));
    expect(read.answers[0]!.records![0]).toEqual({ month: '2025-01', payer: 'payer-1' });
  });

  it('answers refused with the rights code, and a purpose the dataset does not serve', async () => {
    const noRight = await ask(queryBody([1], { purpose: 'scholarship' }));
    expect(noRight.read.answers[0]!.status).toBe('refused');
    expect(noRight.read.answers[0]!.reason!.code).toMatch(/^RIGHTS_/);
    expect(noRight.read.answers[0]!.records).toBeUndefined();

    const notServed = await ask(queryBody([1], { purpose: 'rent-subsidy' }));
    expect(notServed.read.answers[0]).toMatchObject({
      status: 'refused',
      reason: { code: 'IO_PURPOSE_NOT_SERVED' },
    });
  });

  it('trails one record per subject with the answer hash of the envelope sent', async () => {
    const body = queryBody([5, 998]);
    const { reply } = await ask(body);
    await world.trail.flush();
    const page = await world.trail.query({ principal: 'centre', limit: 1000 });
    const records = page.entries.filter((e) => e.requestId === body.requestId);
    expect(records.map((r) => r.status).sort()).toEqual(['found', 'not_found']);
    for (const record of records) {
      expect(record).toMatchObject({
        official: 'official-7',
        purpose: 'child-benefit',
        legalBasis: 'ZUPJS art. 5',
        case: 'CSD-2026-0001',
        decision: 'allowed',
        requestHash: requestHash(reply.requestBody),
        answerHash: requestHash(reply.raw),
        details: { fields: 'month,amount', binding: 'soap' },
      });
    }
  });

  it('serves a WSDL generated from the declaration, naming every record field', async () => {
    const reply = await world.soapQuery('', {
      method: 'GET',
      path: '/io/v1/furs.income/soap?wsdl',
    });
    expect(reply.status).toBe(200);
    const wsdl = parseXmlSafely(reply.raw);
    const record = [...wsdl.getElementsByTagNameNS(XSD, 'complexType')].find(
      (t) => t.getAttribute('name') === 'Record',
    )!;
    const fields = [...record.getElementsByTagNameNS(XSD, 'element')].map((e) => [
      e.getAttribute('name'),
      e.getAttribute('type'),
    ]);
    expect(fields).toEqual([
      ['emso', 'xsd:string'],
      ['taxNumber', 'xsd:string'],
      ['month', 'xsd:string'],
      ['payer', 'xsd:string'],
      ['amount', 'xsd:double'],
      ['kind', 'xsd:string'],
    ]);
    const address = wsdl.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/soap/', 'address');
    expect(address[0]!.getAttribute('location')).toBe(`${world.server.url}/io/v1/furs.income/soap`);
    expect(wsdl.documentElement!.getAttribute('targetNamespace')).toBe(
      datasetNamespace('furs.income'),
    );
  });

  it.each<[string, () => string | Buffer, number, string]>([
    ['malformed XML', () => '<soap:Envelope', 400, 'IO_XML_MALFORMED'],
    [
      'a DOCTYPE with an entity',
      () => `<!DOCTYPE x [<!ENTITY e "boom">]>${signedEnvelopeOf(1)}`,
      400,
      'IO_XML_FORBIDDEN',
    ],
    ['an unsigned envelope', () => unsignedEnvelopeOf(1), 401, 'IO_SIGNATURE_MISSING'],
    ['a body over the limit', () => Buffer.alloc(70 * 1024, 32), 413, 'IO_BODY_TOO_LARGE'],
    [
      'a subject changed after signing',
      () => signedEnvelopeOf(1).replace(emso(1), emso(2)),
      401,
      'IO_SIGNATURE_INVALID',
    ],
  ])('refuses %s with its code in a Fault', async (_name, make, status, code) => {
    const fault = await refusal(make());
    expect(fault).toMatchObject({ status, code, faultcode: `soap:Client.${code}` });
  });

  it('refuses a tampered body with the XML-DSig code in the detail', async () => {
    const fault = await refusal(signed(queryBody([1])).replace('child-benefit', 'rent-subsidy'));
    expect(fault).toMatchObject({
      status: 401,
      code: 'IO_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_DIGEST_MISMATCH' },
    });
  });

  it('refuses wrapping: the signed Body moved to the Header, another in its place', async () => {
    const original = signed(queryBody([1]));
    const bodyStart = original.indexOf('<soap:Body');
    const bodyEnd = original.indexOf('</soap:Body>') + '</soap:Body>'.length;
    const signedBody = original.slice(bodyStart, bodyEnd);
    const forgedQuery = queryElement(queryBody([1, 2, 3], { purpose: 'rent-subsidy' }));
    const forged = `<soap:Body>${forgedQuery}</soap:Body>`;
    const wrapped = original
      .replace(signedBody, forged)
      .replace(
        '</soap:Header>',
        `<x:Wrapper xmlns:x="urn:x">${signedBody}</x:Wrapper></soap:Header>`,
      );
    const fault = await refusal(wrapped);
    expect(fault).toMatchObject({
      status: 401,
      code: 'IO_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_WRAPPING' },
    });
  });

  it('refuses a stale Timestamp', async () => {
    const clock = new ManualClock(Date.now() - 20 * 60_000);
    const stale = signedQuery(queryElement(queryBody([1])), centre(), { clock });
    const fault = await refusal(stale);
    expect(fault).toMatchObject({ code: 'IO_SIGNATURE_INVALID' });
    expect(fault.context.xmlCode).toMatch(/^XML_TIMESTAMP_EXPIRED$/);
  });

  it.each([
    ['a wrong content type', 'application/json', 415, 'IO_CONTENT_TYPE'],
    ['SOAP 1.2', 'application/soap+xml', 415, 'IO_CONTENT_TYPE'],
  ] as const)('refuses %s', async (_name, contentType, status, code) => {
    const fault = await refusal(signed(queryBody([1])), { contentType });
    expect(fault).toMatchObject({ status, code });
  });

  it.each([
    ['a missing legal basis', { legalBasis: undefined }, 400, 'IO_JUSTIFICATION_MISSING'],
    ['a missing purpose', { purpose: undefined }, 400, 'IO_JUSTIFICATION_MISSING'],
    [
      'an invalid identifier',
      { subjects: [{ scheme: 'emso', id: '0101006500007' }] },
      400,
      'IO_SUBJECT_INVALID',
    ],
    ['another organisation named', { organisation: 'other' }, 403, 'IO_ORGANISATION_MISMATCH'],
    ['another source', { source: 'furs.pensions' }, 400, 'IO_SOURCE_MISMATCH'],
    ['a malformed request id', { requestId: 'seven' }, 400, 'IO_ENVELOPE_INVALID'],
  ] as const)('refuses a signed query with %s', async (_name, overrides, status, code) => {
    const fault = await refusal(signed(queryBody([1], overrides)));
    expect(fault).toMatchObject({ status, code });
  });

  it('refuses unknown elements and a Query of another namespace', async () => {
    const unknown = queryElement({ ...queryBody([1]), comment: 'x' });
    expect(await refusal(signedQuery(unknown, centre()))).toMatchObject({
      status: 400,
      code: 'IO_ENVELOPE_INVALID',
      context: { path: '/comment' },
    });
    const foreign = queryElement(queryBody([1]), 'urn:interop-blocks:io:1:furs.pensions');
    expect(await refusal(signedQuery(foreign, centre()))).toMatchObject({
      code: 'IO_ENVELOPE_INVALID',
    });
  });

  it('refuses an undeclared dataset by URL with 404', async () => {
    const query = queryElement(
      queryBody([1], { source: 'furs.unknown' }),
      datasetNamespace('furs.unknown'),
    );
    const fault = await refusal(signedQuery(query, centre()), { dataset: 'furs.unknown' });
    expect(fault).toMatchObject({ status: 404, code: 'IO_DATASET_UNKNOWN' });
  });

  it('refuses a header it must understand but does not, with a MustUnderstand fault', async () => {
    const envelope = signed(queryBody([1])).replace(
      '</soap:Header>',
      '<x:Routing xmlns:x="urn:x" soap:mustUnderstand="1">hop</x:Routing></soap:Header>',
    );
    expect(await refusal(envelope)).toMatchObject({
      status: 400,
      code: 'IO_SOAP_MUST_UNDERSTAND',
      faultcode: 'soap:MustUnderstand.IO_SOAP_MUST_UNDERSTAND',
    });
  });

  it.each([
    ['another registered organisation', 'other'],
    ['an unregistered organisation', 'stranger'],
  ])('refuses a query signed by %s', async (_name, id) => {
    const envelope = signedQuery(queryElement(queryBody([1])), world.pki.organisation(id).client);
    expect(await refusal(envelope)).toMatchObject({ status: 403, code: 'IO_SIGNER_MISMATCH' });
  });

  it('refuses a revoked client certificate with a Fault', async () => {
    const agent = world.agent(world.pki.extras['revoked-client']!);
    const fault = await refusal(signed(queryBody([1])), { agent });
    expect(fault).toMatchObject({ status: 401, code: 'IO_CLIENT_UNAUTHENTICATED' });
  });

  it('trails refusals of the SOAP binding, and keeps the trail chain valid', async () => {
    await refusal(signed(queryBody([1], { legalBasis: undefined })));
    await world.trail.flush();
    const page = await world.trail.query({ principal: 'centre', limit: 1000 });
    expect(
      page.entries.some(
        (e) =>
          e.reasonCode === 'IO_JUSTIFICATION_MISSING' &&
          e.decision === 'refused' &&
          e.details?.binding === 'soap',
      ),
    ).toBe(true);
    const result = await world.trail.verify();
    expect(result.problems).toEqual([]);
  });
});

describe('one pipeline for both bindings', () => {
  let world: IoWorld;

  beforeAll(async () => {
    world = await createIoWorld('sqlite', { rateLimit: { perSecond: 1, burst: 3 } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('draws JSON and SOAP queries of a consumer from one rate limit', async () => {
    expect((await world.query(queryBody([1, 2]))).status).toBe(200);
    const envelope = signedQuery(
      queryElement(queryBody([3, 4])),
      world.pki.organisation('centre').client,
    );
    const reply = await world.soapQuery(envelope);
    expect(reply.status).toBe(429);
    expect(readFault(reply.raw).code).toBe('IO_RATE_LIMITED');
  });
});
