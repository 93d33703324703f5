import { testBackends } from '@interop-blocks/core/testing';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emso } from './fixtures/income-dataset.js';
import { by, createIoWorld, queryBody, type IoWorld } from './support/io-world.js';

type Answer = {
  status: string;
  subject: { id: string };
  data?: Record<string, unknown>[];
  reason?: { code: string };
  version?: string;
};

describe.each(testBackends())('query service on %s', (backend) => {
  let world: IoWorld;

  beforeAll(async () => {
    world = await createIoWorld(backend);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('answers a signed batch: found and not found, only the purpose fields, signed and bound', async () => {
    const reply = await world.query(queryBody([1, 2, 999]));
    expect(reply.status).toBe(200);
    const answers = reply.body.answers as Answer[];
    expect(answers.map((a) => a.status)).toEqual(['found', 'found', 'not_found']);
    expect(answers[0]!.data).toEqual([
      { month: '2025-01', amount: 1000 },
      { month: '2025-02', amount: 1001 },
      { month: '2025-03', amount: 1002 },
    ]);
    expect(answers[0]!.version).toMatch(/^\d+$/);

    const verified = await world.verifyAnswer(reply, reply.requestBody);
    expect(verified).toBeTruthy();
    await expect(
      world.verifyAnswer(reply, Buffer.from(`${reply.requestBody.toString()} `)),
    ).rejects.toMatchObject({
      code: 'JWS_REQUEST_HASH_MISMATCH',
    });
  });

  it('trails one record per subject with purpose, basis, case, fields and version', async () => {
    const body = queryBody([3]);
    await world.query(body);
    await world.trail.flush();
    const page = await world.trail.query({ subject: { scheme: 'emso', id: emso(3) } });
    const record = page.entries.find((e) => e.requestId === body.requestId);
    expect(record).toMatchObject({
      action: 'query',
      principal: 'centre',
      official: 'official-7',
      source: 'furs.income',
      purpose: 'child-benefit',
      legalBasis: 'ZUPJS art. 5',
      case: 'CSD-2026-0001',
      decision: 'allowed',
      status: 'found',
      details: { fields: 'month,amount' },
    });
    expect(record?.answerHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers refused, with the rights code, for a purpose without a right, and trails it', async () => {
    const reply = await world.query(queryBody([1], { purpose: 'scholarship' }));
    expect(reply.status).toBe(200);
    const [answer] = reply.body.answers as Answer[];
    expect(answer!.status).toBe('refused');
    expect(answer!.reason!.code).toMatch(/^RIGHTS_/);
  });

  it('refuses a purpose the dataset does not serve even when a right exists', async () => {
    const reply = await world.query(queryBody([1], { purpose: 'rent-subsidy' }));
    expect((reply.body.answers as Answer[])[0]).toMatchObject({
      status: 'refused',
      reason: { code: 'IO_PURPOSE_NOT_SERVED' },
    });
  });

  it.each([
    ['malformed JSON', { rawBody: Buffer.from('{"requestId": ') }, 400, 'IO_JSON_MALFORMED'],
    ['a wrong content type', { contentType: 'text/plain' }, 415, 'IO_CONTENT_TYPE'],
    ['a body over the limit', { rawBody: Buffer.alloc(70 * 1024, 32) }, 413, 'IO_BODY_TOO_LARGE'],
    ['no signature', { signature: null }, 401, 'IO_SIGNATURE_MISSING'],
    ['a garbage signature', { signature: 'x.y.z' }, 401, 'IO_SIGNATURE_INVALID'],
    ['an unknown dataset', { dataset: 'furs.unknown' }, 400, 'IO_SOURCE_MISMATCH'],
  ] as const)('refuses %s with its code', async (_name, options, status, code) => {
    const reply = await world.query(queryBody([1]), options);
    expect(reply.status).toBe(status);
    expect((reply.body.error as { code: string }).code).toBe(code);
  });

  it.each([
    [
      'an invalid identifier',
      { subjects: [{ scheme: 'emso', id: '0101006500007' }] },
      'IO_SUBJECT_INVALID',
    ],
    ['a missing legal basis', { legalBasis: undefined }, 'IO_JUSTIFICATION_MISSING'],
    ['a missing purpose', { purpose: undefined }, 'IO_JUSTIFICATION_MISSING'],
    ['a missing official', { official: undefined }, 'IO_JUSTIFICATION_MISSING'],
    ['another organisation named', { organisation: 'other' }, 'IO_ORGANISATION_MISMATCH'],
    ['a malformed envelope', { subjects: 'all' }, 'IO_ENVELOPE_INVALID'],
  ] as const)('refuses %s', async (_name, overrides, code) => {
    const reply = await world.query(queryBody([1], overrides));
    expect((reply.body.error as { code: string }).code).toBe(code);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
  });

  it('refuses a query to an undeclared dataset by URL', async () => {
    const reply = await world.query(queryBody([1], { source: 'furs.unknown' }), {
      dataset: 'furs.unknown',
    });
    expect(reply.status).toBe(404);
    expect((reply.body.error as { code: string }).code).toBe('IO_DATASET_UNKNOWN');
  });

  it('refuses a query signed by another organisation than the one connected', async () => {
    const reply = await world.query(queryBody([1]), {
      signWith: world.pki.organisation('other').client,
    });
    expect(reply.status).toBe(403);
    expect((reply.body.error as { code: string }).code).toBe('IO_SIGNER_MISMATCH');
  });

  it.each(['expired-client', 'revoked-client'])(
    'refuses a client with an %s certificate',
    async (name) => {
      const reply = await world.query(queryBody([1]), {
        agent: world.agent(world.pki.extras[name]!),
      });
      expect(reply.status).toBe(401);
      expect((reply.body.error as { code: string }).code).toBe('IO_CLIENT_UNAUTHENTICATED');
    },
  );

  it('refuses a client of an unregistered organisation', async () => {
    const reply = await world.query(queryBody([1]), {
      agent: world.agent(world.pki.organisation('stranger').client),
    });
    expect(reply.status).toBe(401);
  });

  it('checks the client of a connection once, not on every request', async () => {
    const agent = world.agent();
    const before = world.peerLookups();
    for (let i = 0; i < 3; i++) {
      expect((await world.query(queryBody([1]), { agent })).status).toBe(200);
    }
    expect(world.peerLookups() - before).toBe(1);
  });

  it('trails refusals of requests whose consumer is known', async () => {
    const body = queryBody([1], { legalBasis: undefined });
    const reply = await world.query(body);
    expect(reply.status).toBe(400);
    await world.trail.flush();
    const page = await world.trail.query({ principal: 'centre', limit: 1000 });
    expect(
      page.entries.some(
        (e) => e.reasonCode === 'IO_JUSTIFICATION_MISSING' && e.decision === 'refused',
      ),
    ).toBe(true);
  });

  it('serves metaservices: datasets, schema, OpenAPI, health and readiness', async () => {
    const agent = world.agent();
    const get = async (path: string) => {
      const res = await request(`${world.server.url}${path}`, { dispatcher: agent });
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
    };
    const datasets = await get('/io/v1/datasets');
    expect(datasets.body.datasets).toEqual([
      expect.objectContaining({
        id: 'furs.income',
        purposes: ['child-benefit', 'cash-social-assistance'],
        live: expect.objectContaining({ label: '2026-12-01' }),
      }),
    ]);
    expect((await get('/io/v1/datasets/furs.income/schema')).body).toMatchObject({
      dataset: 'furs.income',
    });
    expect((await get('/io/v1/openapi.json')).body).toMatchObject({ openapi: '3.1.0' });
    expect(await get('/health')).toEqual({
      status: 200,
      body: { status: 'ok', checks: { store: true } },
    });
    expect(await get('/ready')).toEqual({ status: 200, body: { ready: true } });
  });

  it('stops answering a suspended consumer at once, and answers again after resumption', async () => {
    await world.admin.suspendPrincipal('centre', { by, reason: 'audit' });
    const refused = await world.query(queryBody([1]));
    expect((refused.body.answers as Answer[])[0]!.status).toBe('refused');
    await world.admin.resumePrincipal('centre', { by, reason: 'audit closed' });
    const answered = await world.query(queryBody([1]));
    expect((answered.body.answers as Answer[])[0]!.status).toBe('found');
  });

  it('keeps the trail chain valid after all of the above', async () => {
    await world.trail.flush();
    const result = await world.trail.verify();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('rate limits', () => {
  let world: IoWorld;

  beforeAll(async () => {
    world = await createIoWorld('sqlite', { rateLimit: { perSecond: 1, burst: 3 } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('refuses a consumer over its limit with 429 and Retry-After', async () => {
    expect((await world.query(queryBody([1, 2]))).status).toBe(200);
    const over = await world.query(queryBody([3, 4]));
    expect(over.status).toBe(429);
    expect((over.body.error as { code: string }).code).toBe('IO_RATE_LIMITED');
  });
});
