import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SourcePools,
  connectorFor,
  createAsyncConnector,
  createConnectors,
  closeConnectors,
} from '../src/index.js';
import type { Connector, RawOutcome } from '../src/connectors/connector.js';
import {
  contextOf,
  createConnectorWorld,
  enquiry,
  sourceOf,
  type ConnectorWorld,
} from './support/connector-world.js';

// A small hub speaking the Asynchronous Module's HTTP API (submit, pull with cursor, acknowledge).
describe('async connector', () => {
  let world: ConnectorWorld;
  let server: http.Server;
  let url: string;
  let connector: Connector;
  const rooms = new Map<
    string,
    { query: { requestId: string; subject: unknown; source: string } }
  >();
  const delivered: { cursor: string; answer: unknown }[] = [];
  const acknowledged: string[] = [];

  beforeAll(async () => {
    world = await createConnectorWorld();
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const raw = Buffer.concat(chunks);
          if (req.method === 'GET') {
            const after = new URL(req.url!, 'http://x').searchParams.get('after');
            const answers = delivered.filter((d) => !after || d.cursor > after);
            return res.writeHead(200).end(JSON.stringify({ answers, next: undefined }));
          }
          const body = JSON.parse(raw.toString()) as {
            messageId: string;
            requests?: { query: { requestId: string; subject: unknown; source: string } }[];
            cursor?: string;
          };
          await world.verifier.verifyRequest(String(req.headers['x-interop-signature']), {
            body: raw,
            requestId: body.messageId,
          });
          let result: unknown;
          if (req.url === '/async/v1/requests') {
            for (const r of body.requests!) rooms.set(r.query.requestId, r);
            result = {
              results: body.requests!.map((r) => ({
                requestId: r.query.requestId,
                status: 'waiting',
                duplicate: false,
              })),
            };
          } else {
            acknowledged.push(body.cursor!);
            result = { acknowledged: 1 };
          }
          const answer = Buffer.from(JSON.stringify(result));
          const signature = await world.ownerSigner.signAnswer(answer, {
            requestId: body.messageId,
            requestBody: raw,
          });
          res.writeHead(200, { 'x-interop-signature': signature }).end(answer);
        })().catch(() => res.writeHead(401).end('{}'));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    connector = createAsyncConnector({
      pools: new SourcePools(),
      signer: world.signer,
      verifier: world.verifier,
    });
  });
  afterAll(async () => {
    await connector?.close?.();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('submits signed, reports waiting, then collects by pull and acknowledges afterwards', async () => {
    const source = sourceOf(
      { kind: 'async', url, room: 'bank.a.balances', delivery: 'pull' },
      { limits: { deadlineMs: 60_000 } },
    );
    const batch = [enquiry(1), enquiry(2)];
    const sent = await connector.send(batch, contextOf(source));
    expect(sent.map((o) => o.status)).toEqual(['waiting', 'waiting']);
    expect(rooms.get(batch[0]!.requestId)!.query.source).toBe('bank.a.balances');

    const query = rooms.get(batch[0]!.requestId)!.query;
    delivered.push({
      cursor: '0001',
      answer: {
        requestId: query.requestId,
        answeredAt: new Date().toISOString(),
        source: 'bank.a.balances',
        subject: query.subject,
        status: 'found',
        data: { balance: 7 },
      },
    });
    const ctx = { signal: AbortSignal.timeout(10_000), clock: contextOf(source).clock };
    const first = await connector.collect!(source, ctx);
    expect(first).toMatchObject([
      { requestId: query.requestId, status: 'found', data: { balance: 7 } },
    ]);
    expect(acknowledged).toEqual([]);

    const second: RawOutcome[] = await connector.collect!(source, ctx);
    expect(second).toEqual([]);
    expect(acknowledged).toEqual(['0001']);
  });
});

describe('connector registry', () => {
  it('serves the built-in kinds, registers custom connectors and refuses a taken kind', async () => {
    const world = await createConnectorWorld();
    const custom: Connector = {
      kind: 'ledger',
      send: async (batch) => batch.map((e) => ({ requestId: e.requestId, status: 'not_found' })),
    };
    const connectors = createConnectors({
      signer: world.signer,
      verifier: world.verifier,
      validator: world.validator,
      tls: world.tls,
      custom: [custom],
    });
    expect([...connectors.keys()].sort()).toEqual([
      'async',
      'io-module',
      'ledger',
      'rest',
      'soap',
      'xroad',
    ]);
    const source = sourceOf({ kind: 'custom', connector: 'ledger' });
    const outcomes = await connectorFor(connectors, source).send([enquiry(1)], contextOf(source));
    expect(outcomes[0]).toMatchObject({ status: 'not_found' });
    expect(() => connectorFor(connectors, sourceOf({ kind: 'custom', connector: 'none' }))).toThrow(
      expect.objectContaining({ code: 'TRAY_CONNECTOR_MISSING' }),
    );
    expect(() => createConnectors({ ...world, custom: [{ ...custom, kind: 'rest' }] })).toThrow(
      expect.objectContaining({ code: 'TRAY_CONNECTOR_INVALID' }),
    );
    await closeConnectors(connectors);
  });
});
