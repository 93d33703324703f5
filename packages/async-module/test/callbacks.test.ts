import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { newId } from '@interop-blocks/core';
import { JwsVerifier, mtlsServerOptions } from '@interop-blocks/security';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackDeliverer, backoffDelay } from '../src/index.js';
import { ROOM_A, createEdgeWorld, type EdgeWorld } from './support/edge-world.js';

interface Received {
  body: Buffer;
  headers: IncomingMessage['headers'];
}

let w: EdgeWorld;
beforeEach(async () => {
  w = await createEdgeWorld('sqlite');
});
afterEach(async () => {
  await w.close();
});

/** A requester's HTTPS endpoint that answers 503 to the first `failures` POSTs. */
async function receiver(failures: number) {
  const received: Received[] = [];
  const centre = w.pki.organisation('centre').server;
  const server = createServer(
    mtlsServerOptions({
      key: centre.key,
      certificateChain: centre.chainPem,
      trustAnchors: [w.root],
    }),
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(received.length <= failures ? 503 : 204).end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}/async/answers`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('callback delivery', () => {
  it('POSTs a signed answer, retries with backoff until a 2xx, then stops', async () => {
    const target = await receiver(2);
    const q = w.query(1);
    const submitted = await w.post('/async/v1/requests', {
      messageId: newId(),
      requests: [{ query: q, callbackUrl: target.url }],
    });
    expect(submitted.status).toBe(200);
    await w.rooms.lease(ROOM_A, 'bank-a', { max: 1, visibilityMs: 60_000 });
    await w.rooms.answer(ROOM_A, 'bank-a', [
      { requestId: q.requestId, status: 'found', data: { balance: 1, currency: 'EUR' } },
    ]);

    const deliverer = new CallbackDeliverer({
      rooms: w.rooms,
      signer: w.hubSigner,
      dispatcher: w.agent(w.identity('hub')),
      clock: w.clock,
      random: () => 0.5,
      backoff: { baseMs: 1000 },
    });
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retrying: 1 });
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retrying: 0 });
    w.clock.advance(backoffDelay(1, { baseMs: 1000 }, () => 0.5));
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retrying: 1 });
    w.clock.advance(backoffDelay(2, { baseMs: 1000 }, () => 0.5));
    expect(await deliverer.deliverDue()).toEqual({ delivered: 1, retrying: 0 });
    w.clock.advance(3_600_000);
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retrying: 0 });

    expect(target.received).toHaveLength(3);
    const verifier = new JwsVerifier({ validator: w.validator });
    for (const { body, headers } of target.received) {
      const parsed = JSON.parse(body.toString('utf8')) as {
        requestId: string;
        answer: { status: string };
      };
      expect(parsed.requestId).toBe(q.requestId);
      expect(parsed.answer.status).toBe('found');
      expect(headers['idempotency-key']).toBe(q.requestId);
      await verifier.verifyRequest(String(headers['x-interop-signature']), {
        body,
        requestId: q.requestId,
      });
    }
    expect(target.received[0]!.body.equals(target.received[2]!.body)).toBe(true);
    expect((await w.get('/async/v1/answers')).body.answers).toEqual([]);
    await target.close();
  });

  it('grows the delay exponentially with jitter and caps it', () => {
    expect(backoffDelay(1, { baseMs: 100 }, () => 0)).toBe(50);
    expect(backoffDelay(1, { baseMs: 100 }, () => 1)).toBe(100);
    expect(backoffDelay(4, { baseMs: 100 }, () => 1)).toBe(800);
    expect(backoffDelay(40, { baseMs: 100, maxMs: 5000 }, () => 1)).toBe(5000);
  });
});
