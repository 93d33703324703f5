import { newId } from '@interop-blocks/core';
import { testBackends } from '@interop-blocks/core/testing';
import { JwsVerifier, parseCertificates } from '@interop-blocks/security';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOM_A, ROOM_B, createEdgeWorld, type EdgeWorld } from './support/edge-world.js';

const submit = (queries: unknown[], extra: Record<string, unknown> = {}) => ({
  messageId: newId(),
  requests: queries.map((query) => ({ query, ...extra })),
});
const lease = (max = 10) => ({ messageId: newId(), max, visibilityMs: 60_000 });

describe.each(testBackends())('HTTP API of the waiting rooms on %s', (backend) => {
  let w: EdgeWorld;
  beforeEach(async () => {
    w = await createEdgeWorld(backend);
  });
  afterEach(async () => {
    await w.close();
  });

  it('runs the whole cycle: submit, lease, answer and decline, pull, acknowledge', async () => {
    const q1 = w.query(1);
    const q2 = w.query(2);
    const body = submit([q1, q2]);
    const submitted = await w.post('/async/v1/requests', body);
    expect(submitted.status).toBe(200);
    expect(submitted.body.results).toEqual([
      { requestId: q1.requestId, status: 'waiting', duplicate: false },
      { requestId: q2.requestId, status: 'waiting', duplicate: false },
    ]);
    const verifier = new JwsVerifier({ validator: w.validator });
    const verified = await verifier.verifyAnswer(submitted.signature!, {
      body: submitted.raw,
      requestId: body.messageId,
      requestBody: Buffer.from(JSON.stringify(body)),
    });
    const hubLeaf = parseCertificates(w.identity('hub').chainPem)[0]!;
    expect(verified.certificate.fingerprintSha256).toBe(hubLeaf.fingerprintSha256);

    const leased = await w.post(`/async/v1/rooms/${ROOM_A}/leases`, lease(), { as: 'bank-a' });
    expect(leased.status).toBe(200);
    const requests = leased.body.requests as { requestId: string }[];
    expect(requests.map((r) => r.requestId).sort()).toEqual([q1.requestId, q2.requestId].sort());

    const answered = await w.post(
      `/async/v1/rooms/${ROOM_A}/answers`,
      {
        messageId: newId(),
        answers: [
          { requestId: q1.requestId, status: 'found', data: { balance: 12.5, currency: 'EUR' } },
        ],
      },
      { as: 'bank-a' },
    );
    expect(answered.body.outcomes).toEqual([{ requestId: q1.requestId, outcome: 'accepted' }]);
    const declined = await w.post(
      `/async/v1/rooms/${ROOM_A}/declines`,
      {
        messageId: newId(),
        declines: [{ requestId: q2.requestId, reason: { code: 'BANK_NO_CLIENT' } }],
      },
      { as: 'bank-a' },
    );
    expect(declined.body.outcomes).toEqual([{ requestId: q2.requestId, outcome: 'accepted' }]);

    const pulled = await w.get('/async/v1/answers?limit=10');
    const answers = pulled.body.answers as {
      cursor: string;
      answer: { requestId: string; status: string };
    }[];
    expect(answers.map((a) => [a.answer.requestId, a.answer.status])).toEqual([
      [q1.requestId, 'found'],
      [q2.requestId, 'refused'],
    ]);
    const acked = await w.post('/async/v1/answers/acknowledge', {
      messageId: newId(),
      cursor: answers[1]!.cursor,
    });
    expect(acked.body).toEqual({ acknowledged: 2 });
    expect((await w.get('/async/v1/answers')).body.answers).toEqual([]);
  });

  it('treats a resubmitted request id as a no-op returning the first result', async () => {
    const q = w.query(3);
    await w.post('/async/v1/requests', submit([q]));
    const again = await w.post('/async/v1/requests', submit([q]));
    expect(again.body.results).toEqual([
      { requestId: q.requestId, status: 'waiting', duplicate: true },
    ]);
    const leased = await w.post(`/async/v1/rooms/${ROOM_A}/leases`, lease(), { as: 'bank-a' });
    expect(leased.body.requests).toHaveLength(1);
  });

  it('sends a request to a group and reports the group status', async () => {
    const q = w.query(4, { source: 'banks' });
    const res = await w.post('/async/v1/groups/banks/requests', { messageId: newId(), query: q });
    expect(res.status).toBe(200);
    const groupRequestId = res.body.groupRequestId as string;
    const status = await w.get(`/async/v1/groups/requests/${groupRequestId}`);
    expect(status.body).toMatchObject({ groupRequestId, group: 'banks', complete: false });
    expect((status.body.members as { room: string }[]).map((m) => m.room).sort()).toEqual([
      ROOM_A,
      ROOM_B,
    ]);
  });

  it('extends a lease and cancels a request of its requester', async () => {
    const q = w.query(5);
    await w.post('/async/v1/requests', submit([q]));
    const leased = await w.post(`/async/v1/rooms/${ROOM_A}/leases`, lease(), { as: 'bank-a' });
    const leaseId = leased.body.leaseId as string;
    const extended = await w.post(
      `/async/v1/rooms/${ROOM_A}/leases/${leaseId}/extend`,
      { messageId: newId(), visibilityMs: 120_000 },
      { as: 'bank-a' },
    );
    expect(extended.status).toBe(200);
    expect(extended.body.until).toBeGreaterThan(leased.body.until as number);

    const cancelled = await w.post(`/async/v1/requests/${q.requestId}/cancel`, {
      messageId: newId(),
    });
    expect(cancelled.status).toBe(200);
    const late = await w.post(
      `/async/v1/rooms/${ROOM_A}/answers`,
      { messageId: newId(), answers: [{ requestId: q.requestId, status: 'not_found' }] },
      { as: 'bank-a' },
    );
    expect(late.body.outcomes).toEqual([
      { requestId: q.requestId, outcome: 'refused', code: 'ASYNC_REQUEST_CANCELLED' },
    ]);
  });

  it('refuses bad input with coded 4xx and changes nothing', async () => {
    const q = w.query(6);
    const cases: [Promise<{ status: number; body: Record<string, unknown> }>, number, string][] = [
      [
        w.post('/async/v1/requests', submit([q]), { signature: null }),
        401,
        'ASYNC_SIGNATURE_MISSING',
      ],
      [
        w.post('/async/v1/requests', submit([q]), { signature: 'x..y' }),
        401,
        'ASYNC_SIGNATURE_INVALID',
      ],
      [
        w.post('/async/v1/requests', submit([q]), { signAs: 'bank-a' }),
        403,
        'ASYNC_SIGNER_MISMATCH',
      ],
      [
        w.post('/async/v1/requests', null, { raw: Buffer.from('{"messageId":') }),
        400,
        'ASYNC_JSON_MALFORMED',
      ],
      [
        w.post('/async/v1/requests', submit([q]), { contentType: 'text/plain' }),
        415,
        'ASYNC_CONTENT_TYPE',
      ],
      [
        w.post('/async/v1/requests', { messageId: newId(), requests: [] }),
        400,
        'ASYNC_BODY_INVALID',
      ],
      [
        w.post(
          '/async/v1/requests',
          submit([{ ...q, subject: { scheme: 'emso', id: '0101990500001' } }]),
        ),
        400,
        'ASYNC_BODY_INVALID',
      ],
      [
        w.post('/async/v1/requests', submit([{ ...q, organisation: 'bank-a' }])),
        403,
        'ASYNC_ORGANISATION_MISMATCH',
      ],
      [
        w.post('/async/v1/requests', submit([{ ...q, purpose: 'school-meals' }])),
        403,
        'ASYNC_ACCESS_DENIED',
      ],
      [
        w.post('/async/v1/requests', submit([q]), { as: 'stranger' }),
        401,
        'ASYNC_CLIENT_UNAUTHENTICATED',
      ],
      [
        w.post(`/async/v1/rooms/${ROOM_A}/leases`, lease(), { as: 'bank-b' }),
        403,
        'ASYNC_NOT_ROOM_OWNER',
      ],
      [
        w.post('/async/v1/rooms/bank.z.balances/leases', lease(), { as: 'bank-a' }),
        404,
        'ASYNC_ROUTE_UNKNOWN',
      ],
      [
        w.post('/async/v1/groups/nobody/requests', { messageId: newId(), query: q }),
        404,
        'ASYNC_ROUTE_UNKNOWN',
      ],
      [
        w.post(`/async/v1/rooms/${ROOM_A}/leases`, { ...lease(), max: 0 }, { as: 'bank-a' }),
        400,
        'ASYNC_BODY_INVALID',
      ],
      [w.get('/async/v1/answers?limit=0'), 400, 'ASYNC_BODY_INVALID'],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      expect([res.status, (res.body.error as { code?: string } | undefined)?.code]).toEqual([
        status,
        code,
      ]);
    }

    const leased = await w.post(`/async/v1/rooms/${ROOM_A}/leases`, lease(), { as: 'bank-a' });
    expect(leased.body.requests).toEqual([]);
  });

  it('declines at lease time what the source has no right to answer', async () => {
    const allowed = w.query(7, { source: ROOM_B });
    const foreignPurpose = w.query(8, { source: ROOM_B, purpose: 'rent-subsidy' });
    await w.post('/async/v1/requests', submit([allowed, foreignPurpose]));
    const leased = await w.post(`/async/v1/rooms/${ROOM_B}/leases`, lease(), { as: 'bank-b' });
    expect((leased.body.requests as { requestId: string }[]).map((r) => r.requestId)).toEqual([
      allowed.requestId,
    ]);

    const pulled = await w.get('/async/v1/answers');
    const [only] = pulled.body.answers as {
      answer: { requestId: string; status: string; reason: { code: string } };
    }[];
    expect(only!.answer).toMatchObject({ requestId: foreignPurpose.requestId, status: 'refused' });
    expect(only!.answer.reason.code).toMatch(/^RIGHTS_/);
  });
});
