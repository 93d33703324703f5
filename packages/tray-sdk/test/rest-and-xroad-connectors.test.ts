import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourcePools, createRestConnector, createXRoadConnector } from '../src/index.js';
import { contextOf, emso, enquiry, sourceOf } from './support/connector-world.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('REST and X-Road connectors', () => {
  let server: http.Server;
  let base: string;
  const seen: Seen[] = [];
  let reply: (seen: Seen, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        };
        seen.push(s);
        reply(s, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const rest = createRestConnector({ pools: new SourcePools() });
  const xroad = createXRoadConnector({ pools: new SourcePools() });
  const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));

  it('fills a GET template per enquiry; 200 is found as shaped, 404 not found', async () => {
    reply = (s, res) =>
      s.url.includes(emso(1)) ? json(res, 200, { pensions: [{ amount: 1 }] }) : json(res, 404, {});
    const source = sourceOf({
      kind: 'rest',
      url: `${base}/api/pensions`,
      method: 'GET',
      query: { emso: '{{subject.id}}', purpose: '{{purpose}}', from: '{{period.from}}' },
      headers: { 'X-Case': '{{case}}' },
    });
    const outcomes = await rest.send([enquiry(1), enquiry(2)], contextOf(source));
    expect(outcomes).toMatchObject([
      { status: 'found', data: { pensions: [{ amount: 1 }] } },
      { status: 'not_found' },
    ]);
    const first = seen.at(-2)!;
    expect(first.url).toBe(`/api/pensions?emso=${emso(1)}&purpose=child-benefit`);
    expect(first.headers['x-case']).toBe('CSD-2026-0001');
  });

  it('sends one POST per batch for a {{subjects}} template and splits the array answer', async () => {
    reply = (s, res) => {
      const body = JSON.parse(s.body) as { people: unknown[] };
      json(
        res,
        200,
        body.people.map((_, i) => (i === 1 ? null : { n: i })),
      );
    };
    const source = sourceOf({
      kind: 'rest',
      url: `${base}/batch`,
      method: 'POST',
      body: { people: '{{subjects}}', why: '{{purpose}}' },
    });
    const outcomes = await rest.send([enquiry(1), enquiry(2), enquiry(3)], contextOf(source));
    expect(outcomes.map((o) => o.status)).toEqual(['found', 'not_found', 'found']);
    expect(JSON.parse(seen.at(-1)!.body)).toMatchObject({
      people: [{ scheme: 'emso', id: emso(1) }, {}, {}],
      why: 'child-benefit',
    });
  });

  it('maps malformed bodies, 4xx and 5xx, and an unknown placeholder', async () => {
    const source = sourceOf({ kind: 'rest', url: `${base}/x`, method: 'GET' });
    reply = (_, res) => res.writeHead(200).end('{not json');
    expect((await rest.send([enquiry(1)], contextOf(source)))[0]).toMatchObject({
      reason: { code: 'TRAY_ANSWER_MALFORMED' },
      retryable: false,
    });
    reply = (_, res) => json(res, 403, { error: { code: 'NO_ACCESS', message: 'no' } });
    expect((await rest.send([enquiry(1)], contextOf(source)))[0]).toMatchObject({
      reason: { code: 'NO_ACCESS' },
      retryable: false,
    });
    reply = (_, res) => res.writeHead(502).end();
    expect((await rest.send([enquiry(1)], contextOf(source)))[0]).toMatchObject({
      reason: { code: 'TRAY_SOURCE_ERROR' },
      retryable: true,
    });
    const bad = sourceOf({
      kind: 'rest',
      url: `${base}/x`,
      method: 'GET',
      query: { a: '{{nope}}' },
    });
    expect((await rest.send([enquiry(1)], contextOf(bad)))[0]).toMatchObject({
      reason: { code: 'TRAY_REQUEST_INVALID' },
    });
  });

  const xroadSource = (path: string) =>
    sourceOf({
      kind: 'xroad',
      securityServer: base,
      client: 'SI/GOV/10000005/TRAY',
      service: 'SI/COM/10000048/BALANCES/balances',
      path,
    });

  it('calls /r1/{service}{path} with the X-Road headers the security server checks', async () => {
    reply = (s, res) => {
      const ok =
        s.headers['x-road-client'] === 'SI/GOV/10000005/TRAY' &&
        typeof s.headers['x-road-id'] === 'string' &&
        s.headers['x-road-userid'] === 'official-7' &&
        s.headers['x-road-issue'] === 'CSD-2026-0001';
      if (!ok) {
        return json(
          res,
          400,
          { type: 'Client.BadRequest', message: 'x' },
          { 'X-Road-Error': 'Client.BadRequest' },
        );
      }
      json(res, 200, { balance: 10 }, { 'x-road-id': s.headers['x-road-id'] });
    };
    const e = enquiry(1);
    const [byGet] = await xroad.send(
      [e],
      contextOf(xroadSource('/persons/{{subject.id}}/balance')),
    );
    expect(byGet).toMatchObject({ status: 'found', data: { balance: 10 } });
    expect(seen.at(-1)).toMatchObject({
      method: 'GET',
      url: `/r1/SI/COM/10000048/BALANCES/balances/persons/${emso(1)}/balance`,
    });
    expect(seen.at(-1)!.headers['x-road-id']).toBe(e.requestId);

    const [byPost] = await xroad.send([enquiry(2)], contextOf(xroadSource('/balances')));
    expect(byPost).toMatchObject({ status: 'found' });
    expect(seen.at(-1)!.method).toBe('POST');
    expect(JSON.parse(seen.at(-1)!.body)).toMatchObject({ subject: { id: emso(2) } });
  });

  it('maps X-Road errors by type: Server.* 5xx retryable, Client.* not; 404 not found', async () => {
    const source = xroadSource('/balances');
    reply = (_, res) =>
      json(
        res,
        500,
        { type: 'Server.ServerProxy.ServiceFailed', message: 'm', detail: 'd' },
        {
          'X-Road-Error': 'Server.ServerProxy.ServiceFailed',
        },
      );
    expect((await xroad.send([enquiry(1)], contextOf(source)))[0]).toMatchObject({
      reason: { code: 'TRAY_XROAD_ERROR', message: /^Server\.ServerProxy\.ServiceFailed/ },
      retryable: true,
    });
    reply = (_, res) =>
      json(res, 400, { type: 'Client.BadRequest' }, { 'X-Road-Error': 'Client.BadRequest' });
    expect((await xroad.send([enquiry(1)], contextOf(source)))[0]).toMatchObject({
      reason: { code: 'TRAY_XROAD_ERROR' },
      retryable: false,
    });
    reply = (_, res) => json(res, 404, {});
    expect((await xroad.send([enquiry(1)], contextOf(source)))[0]).toMatchObject({
      status: 'not_found',
    });
  });
});
