import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mtlsServerOptions } from '@interop-blocks/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourcePools, createIoModuleConnector } from '../src/index.js';
import type { Connector, RawOutcome } from '../src/connectors/connector.js';
import {
  contextOf,
  createConnectorWorld,
  enquiry,
  sourceOf,
  type ConnectorWorld,
} from './support/connector-world.js';
import { startIoSource, type IoSource } from './support/io-source.js';

describe('IO-Module connector', () => {
  let world: ConnectorWorld;
  let io: IoSource;
  let connector: Connector;

  beforeAll(async () => {
    world = await createConnectorWorld();
    io = await startIoSource(world);
    connector = createIoModuleConnector({
      pools: new SourcePools({ tls: world.tls }),
      signer: world.signer,
      verifier: world.verifier,
    });
  });
  afterAll(async () => {
    await connector?.close?.();
    await io?.close();
  });

  const ioSource = (url: string) =>
    sourceOf({ kind: 'io-module', url, dataset: 'furs.income' }, { limits: { batchSize: 100 } });

  it('sends a batch as one signed query and maps each answer with evidence', async () => {
    const batch = [enquiry(1), enquiry(2), enquiry(999)];
    const outcomes = await connector.send(batch, contextOf(ioSource(io.server.url)));

    expect(outcomes.map((o) => [o.requestId, o.status])).toEqual(
      batch.map((e, i) => [e.requestId, i < 2 ? 'found' : 'not_found']),
    );
    const found = outcomes[0] as Extract<RawOutcome, { status: 'found' }>;
    expect(found.data).toEqual([{ month: '2025-01', amount: 1001 }]);
    expect(found.version).toMatch(/^\d+$/);
    expect(found.evidence).toMatchObject({
      requestHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      answerHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      signature: expect.stringMatching(/^[\w-]+\.\.[\w-]+$/),
      signer: world.pki.organisation('owner').client.certificate.fingerprintSha256,
    });
  });

  it('splits a batch of two cases into two queries', async () => {
    const batch = [enquiry(1), enquiry(3, { case: 'CSD-2026-0002' })];
    const outcomes = await connector.send(batch, contextOf(ioSource(io.server.url)));
    expect(outcomes.map((o) => o.status)).toEqual(['found', 'found']);
    const [a, b] = outcomes as Extract<RawOutcome, { status: 'found' }>[];
    expect(a!.evidence!.requestHash).not.toBe(b!.evidence!.requestHash);
  });

  it('maps a refusal of the whole query to failed with the IO code, not retryable', async () => {
    const outcomes = await connector.send(
      [enquiry(1)],
      contextOf(sourceOf({ kind: 'io-module', url: io.server.url, dataset: 'furs.unknown' })),
    );
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      reason: { code: 'IO_DATASET_UNKNOWN' },
      retryable: false,
    });
  });

  it('maps a per-subject refusal of the rights to refused', async () => {
    const outcomes = await connector.send(
      [enquiry(1, { purpose: 'rent-subsidy' })],
      contextOf(ioSource(io.server.url)),
    );
    expect(outcomes[0]).toMatchObject({
      status: 'refused',
      reason: { code: expect.stringMatching(/^RIGHTS_/) },
    });
  });

  it('fails a connection to a closed port as unreachable and retryable', async () => {
    const closed = https.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));

    const outcomes = await connector.send(
      [enquiry(1)],
      contextOf(ioSource(`https://127.0.0.1:${port}`)),
    );
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      reason: { code: 'TRAY_SOURCE_UNREACHABLE' },
      retryable: true,
    });
  });

  describe('against a misbehaving server', () => {
    let server: https.Server;
    let url: string;
    let behave: (body: Buffer, res: import('node:http').ServerResponse) => Promise<void> | void;

    beforeAll(async () => {
      server = https.createServer(mtlsServerOptions(world.serverTls), (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => void behave(Buffer.concat(chunks), res));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    const answerTo = (body: Buffer, status = 'found') => {
      const query = JSON.parse(body.toString()) as {
        requestId: string;
        subjects: { scheme: string; id: string }[];
      };
      return {
        requestId: query.requestId,
        answeredAt: new Date().toISOString(),
        source: 'furs.income',
        answers: query.subjects.map((subject) => ({
          requestId: query.requestId,
          answeredAt: new Date().toISOString(),
          source: 'furs.income',
          subject,
          status,
          ...(status === 'found' ? { data: [{ amount: 1 }] } : {}),
        })),
      };
    };
    const send = (signal?: AbortSignal) =>
      connector.send([enquiry(1)], contextOf(ioSource(url), signal));

    it('accepts a well-signed answer of the owner (the server under test is sound)', async () => {
      behave = async (body, res) => {
        const answer = Buffer.from(JSON.stringify(answerTo(body)));
        const requestId = (JSON.parse(body.toString()) as { requestId: string }).requestId;
        const signature = await world.ownerSigner.signAnswer(answer, {
          requestId,
          requestBody: body,
        });
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-interop-signature': signature,
        });
        res.end(answer);
      };
      expect((await send())[0]).toMatchObject({ status: 'found', data: [{ amount: 1 }] });
    });

    it('refuses an answer signed by an untrusted seal', async () => {
      behave = async (body, res) => {
        const answer = Buffer.from(JSON.stringify(answerTo(body)));
        const requestId = (JSON.parse(body.toString()) as { requestId: string }).requestId;
        const signature = await world.strangerSigner.signAnswer(answer, {
          requestId,
          requestBody: body,
        });
        res.writeHead(200, { 'x-interop-signature': signature }).end(answer);
      };
      expect((await send())[0]).toMatchObject({
        status: 'failed',
        reason: { code: 'TRAY_ANSWER_SIGNATURE_INVALID' },
        retryable: false,
      });
    });

    it('refuses an answer bound to another request body', async () => {
      behave = async (body, res) => {
        const answer = Buffer.from(JSON.stringify(answerTo(body)));
        const requestId = (JSON.parse(body.toString()) as { requestId: string }).requestId;
        const signature = await world.ownerSigner.signAnswer(answer, {
          requestId,
          requestBody: Buffer.concat([body, Buffer.from(' ')]),
        });
        res.writeHead(200, { 'x-interop-signature': signature }).end(answer);
      };
      expect((await send())[0]).toMatchObject({
        reason: { code: 'TRAY_ANSWER_SIGNATURE_INVALID', message: /JWS_REQUEST_HASH_MISMATCH/ },
      });
    });

    it('refuses an unsigned answer', async () => {
      behave = (body, res) => void res.writeHead(200).end(JSON.stringify(answerTo(body)));
      expect((await send())[0]).toMatchObject({
        reason: { code: 'TRAY_ANSWER_SIGNATURE_INVALID' },
        retryable: false,
      });
    });

    it('refuses a signed body that breaks the answer batch schema', async () => {
      behave = async (body, res) => {
        const answer = Buffer.from(JSON.stringify({ ...answerTo(body), answers: 'none' }));
        const requestId = (JSON.parse(body.toString()) as { requestId: string }).requestId;
        const signature = await world.ownerSigner.signAnswer(answer, {
          requestId,
          requestBody: body,
        });
        res.writeHead(200, { 'x-interop-signature': signature }).end(answer);
      };
      expect((await send())[0]).toMatchObject({
        reason: { code: 'TRAY_ANSWER_MALFORMED' },
        retryable: false,
      });
    });

    it('maps a 503 to a retryable source error and a 429 to throttled', async () => {
      behave = (_, res) => void res.writeHead(503).end('down');
      expect((await send())[0]).toMatchObject({
        reason: { code: 'TRAY_SOURCE_ERROR' },
        retryable: true,
      });
      behave = (_, res) =>
        void res.writeHead(429).end(JSON.stringify({ error: { code: 'IO_RATE_LIMITED' } }));
      expect((await send())[0]).toMatchObject({
        reason: { code: 'IO_RATE_LIMITED' },
        retryable: true,
      });
    });

    it('times out a server that hangs after the headers', async () => {
      behave = (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"requestId":');
      };
      const slow = sourceOf(
        { kind: 'io-module', url, dataset: 'furs.income' },
        { limits: { timeoutMs: 100 } },
      );
      const [outcome] = await connector.send([enquiry(1)], contextOf(slow));
      expect(outcome).toMatchObject({
        reason: { code: 'TRAY_SOURCE_TIMEOUT', message: /UND_ERR_BODY_TIMEOUT/ },
        retryable: true,
      });
    });

    it('maps an abort with a TimeoutError to a retryable timeout', async () => {
      behave = () => undefined;
      const controller = new AbortController();
      const sent = send(controller.signal);
      controller.abort(new DOMException('The attempt timed out.', 'TimeoutError'));
      expect((await sent)[0]).toMatchObject({
        reason: { code: 'TRAY_SOURCE_TIMEOUT' },
        retryable: true,
      });
    });

    it('reports a cancellation as aborted, not retryable', async () => {
      behave = () => undefined;
      const controller = new AbortController();
      const sent = send(controller.signal);
      controller.abort();
      expect((await sent)[0]).toMatchObject({
        reason: { code: 'TRAY_ABORTED' },
        retryable: false,
      });
    });
  });
});
