import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildSoapEnvelope,
  createDevPki,
  parseCertificates,
  readSoapPayload,
  signSoapEnvelope,
  verifySoapEnvelope,
} from '@interop-blocks/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourcePools, createSoapConnector } from '../src/index.js';
import type { Connector } from '../src/connectors/connector.js';
import {
  contextOf,
  createConnectorWorld,
  emso,
  enquiry,
  sourceOf,
  type ConnectorWorld,
} from './support/connector-world.js';

const NS = 'urn:test:pensions';
const FAULT = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<soap:Fault><faultcode>soap:Client.PZ_NO_RIGHT</faultcode><faultstring>No right.</faultstring>
</soap:Fault></soap:Body></soap:Envelope>`;

describe('SOAP connector', () => {
  let world: ConnectorWorld;
  let server: http.Server;
  let url: string;
  let connector: Connector;
  let verifiedRequests = 0;
  let lastError: unknown;
  let signAs: 'owner' | 'foreign' | 'fault' = 'owner';
  let foreignKey: import('node:crypto').KeyObject;
  let foreignChain: ReturnType<typeof parseCertificates>;

  beforeAll(async () => {
    world = await createConnectorWorld();
    const foreign = (
      await createDevPki({ organisations: [{ name: 'F Test', id: 'f' }] })
    ).organisation('f');
    foreignKey = foreign.client.key;
    foreignChain = parseCertificates(foreign.client.chainPem);
    const owner = world.pki.organisation('owner').client;

    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          // The source checks the enquirer's WS-Security signature like a real one would.
          const { body } = await verifySoapEnvelope(Buffer.concat(chunks), {
            trust: world.validator,
          });
          verifiedRequests += 1;
          const query = readSoapPayload(body);
          const id = query.getElementsByTagNameNS(NS, 'id')[0]?.textContent ?? '';
          if (signAs === 'fault') return res.writeHead(500).end(FAULT);
          const payload =
            id === emso(1)
              ? `<p:Pension xmlns:p="${NS}"><p:monthly>512.5</p:monthly><p:item>a</p:item><p:item>b</p:item></p:Pension>`
              : `<p:Pension xmlns:p="${NS}"/>`;
          const [key, certificates] =
            signAs === 'owner'
              ? [owner.key, parseCertificates(owner.chainPem)]
              : [foreignKey, foreignChain];
          const signed = signSoapEnvelope(buildSoapEnvelope(payload), {
            privateKey: key,
            certificates,
            keyInfo: 'x509-data',
          });
          res.writeHead(200, { 'content-type': 'text/xml' }).end(signed);
        })().catch((err: unknown) => {
          lastError = err;
          res.writeHead(400).end('unverified');
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap`;
    const centre = world.pki.organisation('centre').client;
    connector = createSoapConnector({
      pools: new SourcePools(),
      signing: { privateKey: centre.key, certificates: parseCertificates(centre.chainPem) },
      trust: world.validator,
    });
  });
  afterAll(async () => {
    await connector?.close?.();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const source = () =>
    sourceOf({ kind: 'soap', url, soapAction: 'urn:pensions', operation: 'Query', namespace: NS });

  it('signs the request, verifies the signed answer and turns it into JSON', async () => {
    signAs = 'owner';
    const before = verifiedRequests;
    const outcomes = await connector.send([enquiry(1), enquiry(2)], contextOf(source()));
    expect(lastError).toBeUndefined();
    expect(verifiedRequests - before).toBe(2);
    expect(outcomes[0]).toMatchObject({
      status: 'found',
      data: { monthly: '512.5', item: ['a', 'b'] },
      evidence: { signer: world.pki.organisation('owner').client.certificate.fingerprintSha256 },
    });
    expect(outcomes[1]).toMatchObject({ status: 'not_found' });
  });

  it('refuses an answer signed by a seal it does not trust', async () => {
    signAs = 'foreign';
    const [outcome] = await connector.send([enquiry(1)], contextOf(source()));
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: { code: 'TRAY_ANSWER_SIGNATURE_INVALID' },
      retryable: false,
    });
  });

  it('maps a Client fault to its code, not retryable', async () => {
    signAs = 'fault';
    const [outcome] = await connector.send([enquiry(1)], contextOf(source()));
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: { code: 'PZ_NO_RIGHT', message: 'No right.' },
      retryable: false,
    });
  });
});
