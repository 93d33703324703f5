// The OCSP client refuses stale, replayed, tampered and wrongly signed responses, with codes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { ManualClock } from '@interop-blocks/core';
import {
  OcspClient,
  buildOcspRequest,
  createDevPki,
  createOcspResponder,
  type DevIssued,
  type DevPki,
  type OcspResponderOptions,
} from '../src/index.js';
import {
  issueResponderCertificate,
  startTestServer,
  type TestServer,
} from './helpers/ocsp-fixtures.js';

const HOUR = 3_600_000;
const start = new Date(Math.floor(Date.now() / 1000) * 1000);

let server: TestServer;
let upstream: TestServer;
let pki: DevPki;

beforeAll(async () => {
  [server, upstream] = await Promise.all([startTestServer(), startTestServer()]);
  pki = await createDevPki({
    now: start,
    label: 'ocsp-refusals',
    ocspUrl: server.url,
    organisations: [
      { name: 'Centre A', id: 'a' },
      { name: 'Centre B', id: 'b' },
    ],
  });
});
afterAll(() => Promise.all([server.close(), upstream.close()]));

const leafA = () => pki.organisation('a').client.certificate;
const leafB = () => pki.organisation('b').client.certificate;
const ca = () => pki.intermediate.certificate;
const caSigner = () => ({ certificate: pki.intermediate.certificate, key: pki.intermediate.key });

function responder(clock: ManualClock, extra: Partial<OcspResponderOptions> = {}) {
  return createOcspResponder({
    issuer: caSigner(),
    statusOf: () => ({ status: 'good' }),
    clock,
    ...extra,
  });
}

function responderWith(issued: DevIssued, clock: ManualClock, by: 'key' | 'name' = 'key') {
  return responder(clock, {
    responder: { certificate: issued.certificate, key: issued.key },
    responderIdBy: by,
  });
}

async function exchange(url: string, der: Uint8Array): Promise<Uint8Array> {
  const res = await request(url, {
    method: 'POST',
    body: Buffer.from(der),
    headers: { 'content-type': 'application/ocsp-request' },
  });
  return new Uint8Array(await res.body.arrayBuffer());
}

function sendBytes(body: Uint8Array, type = 'application/ocsp-response') {
  return (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': type }).end(body);
  };
}

const validity = {
  notBefore: new Date(start.getTime() - HOUR),
  notAfter: new Date(start.getTime() + 24 * HOUR),
};

describe('OCSP freshness', () => {
  it('refuses a response past its nextUpdate', async () => {
    server.setHandler(responder(new ManualClock(start.getTime() - 2 * HOUR)));
    const check = new OcspClient({ clock: new ManualClock(start) }).check(leafA(), ca());
    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_STALE' });
  });

  it('refuses a response without nextUpdate older than the freshness limit', async () => {
    server.setHandler(responder(new ManualClock(start.getTime() - 2 * HOUR), { validityMs: null }));
    const client = new OcspClient({ clock: new ManualClock(start), maxAgeMs: HOUR });
    await expect(client.check(leafA(), ca())).rejects.toMatchObject({ code: 'PKI_OCSP_STALE' });
  });

  it('accepts a response within the clock skew, refuses one from the future', async () => {
    const client = new OcspClient({ clock: new ManualClock(start), clockSkewMs: 60_000 });
    server.setHandler(responder(new ManualClock(start.getTime() + 30_000)));
    await expect(client.check(leafA(), ca())).resolves.toMatchObject({ status: 'good' });

    server.setHandler(responder(new ManualClock(start.getTime() + HOUR)));
    await expect(client.check(leafB(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_RESPONSE_INVALID',
      context: { reason: 'this-update-in-future' },
    });
  });
});

describe('OCSP response integrity', () => {
  it('refuses a genuine response about another certificate (wrong CertID)', async () => {
    const clock = new ManualClock(start);
    upstream.setHandler(responder(clock));
    const replayed = await exchange(upstream.url, buildOcspRequest(leafB(), ca()).der);
    server.setHandler(sendBytes(replayed));

    const check = new OcspClient({ clock }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({
      code: 'PKI_OCSP_RESPONSE_INVALID',
      context: { reason: 'cert-id-mismatch' },
    });
  });

  it('refuses a replayed response when a nonce was sent', async () => {
    const clock = new ManualClock(start);
    upstream.setHandler(responder(clock));
    const replayed = await exchange(
      upstream.url,
      buildOcspRequest(leafA(), ca(), { nonce: true }).der,
    );
    server.setHandler(sendBytes(replayed));

    const check = new OcspClient({ clock, nonce: true }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({
      code: 'PKI_OCSP_RESPONSE_INVALID',
      context: { reason: 'nonce-mismatch' },
    });
  });

  it('refuses a response whose signature was altered in transit', async () => {
    const clock = new ManualClock(start);
    upstream.setHandler(responder(clock));
    server.setHandler((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void exchange(upstream.url, Buffer.concat(chunks)).then((body) => {
          body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0x01;
          sendBytes(body)(req, res);
        });
      });
    });

    const check = new OcspClient({ clock }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({
      code: 'PKI_OCSP_RESPONSE_INVALID',
      context: { reason: 'invalid' },
    });
  });

  it('refuses garbage', async () => {
    server.setHandler(sendBytes(new Uint8Array([0x30, 0x03, 0x0a, 0x01])));
    const check = new OcspClient({ clock: new ManualClock(start) }).check(leafA(), ca());
    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_RESPONSE_INVALID' });
  });
});

describe('OCSP signer authorisation', () => {
  it('accepts a delegated responder with OCSPSigning and nocheck, by key and name', async () => {
    const clock = new ManualClock(start);
    const delegated = await issueResponderCertificate(pki.intermediate, {
      name: 'ocsp-delegated',
      ocspSigning: true,
      noCheck: true,
      ...validity,
    });
    const client = new OcspClient({ clock, maxCacheEntries: 0 });

    server.setHandler(responderWith(delegated, clock, 'key'));
    await expect(client.check(leafA(), ca())).resolves.toMatchObject({ status: 'good' });
    server.setHandler(responderWith(delegated, clock, 'name'));
    await expect(client.check(leafA(), ca())).resolves.toMatchObject({ status: 'good' });
  });

  it('refuses a responder certificate of the CA without id-kp-OCSPSigning', async () => {
    const clock = new ManualClock(start);
    const plain = await issueResponderCertificate(pki.intermediate, {
      name: 'not-a-responder',
      ocspSigning: false,
      noCheck: true,
      ...validity,
    });
    server.setHandler(responderWith(plain, clock));

    const check = new OcspClient({ clock }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_SIGNER_UNAUTHORISED' });
  });

  it('refuses a delegated responder whose key usage does not allow signing', async () => {
    const clock = new ManualClock(start);
    const encipherOnly = await issueResponderCertificate(pki.intermediate, {
      name: 'encipher-responder',
      ocspSigning: true,
      noCheck: true,
      keyUsage: ['keyAgreement'],
      ...validity,
    });
    server.setHandler(responderWith(encipherOnly, clock));

    const check = new OcspClient({ clock }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_SIGNER_UNAUTHORISED' });
  });

  it('refuses a responder delegated by another CA (the root)', async () => {
    const clock = new ManualClock(start);
    const byRoot = await issueResponderCertificate(pki.root, {
      name: 'root-responder',
      ocspSigning: true,
      noCheck: true,
      ...validity,
    });
    server.setHandler(responderWith(byRoot, clock));

    const check = new OcspClient({ clock }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_SIGNER_UNAUTHORISED' });
  });

  it('refuses a look-alike CA: same name, another key', async () => {
    const clock = new ManualClock(start);
    const twin = await createDevPki({ now: start, label: 'ocsp-refusals' });
    expect(twin.intermediate.certificate.subject.text).toBe(ca().subject.text);
    server.setHandler(responderWith(twin.intermediate, clock, 'name'));

    const check = new OcspClient({ clock }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_SIGNER_UNAUTHORISED' });
  });

  it('refuses an expired delegated responder certificate', async () => {
    const clock = new ManualClock(start);
    const expired = await issueResponderCertificate(pki.intermediate, {
      name: 'expired-responder',
      ocspSigning: true,
      noCheck: true,
      notBefore: new Date(start.getTime() - 48 * HOUR),
      notAfter: new Date(start.getTime() - 24 * HOUR),
    });
    server.setHandler(responderWith(expired, clock));

    const check = new OcspClient({ clock }).check(leafA(), ca());

    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_SIGNER_UNAUTHORISED' });
  });

  it('checks a delegated responder without nocheck only as configured', async () => {
    const clock = new ManualClock(start);
    const checked = await issueResponderCertificate(pki.intermediate, {
      name: 'checked-responder',
      ocspSigning: true,
      noCheck: false,
      ...validity,
    });
    server.setHandler(responderWith(checked, clock));
    // The responder's own status comes from the CA itself, served on the second server.
    let responderStatus: 'good' | 'revoked' = 'good';
    upstream.setHandler(
      responder(clock, {
        statusOf: () =>
          responderStatus === 'good' ? { status: 'good' } : { status: 'revoked', revokedAt: start },
      }),
    );
    const viaCa = new OcspClient({ clock, responderUrl: upstream.url, maxCacheEntries: 0 });
    const options = { clock, maxCacheEntries: 0 };

    await expect(new OcspClient(options).check(leafA(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_SIGNER_UNAUTHORISED',
    });
    await expect(
      new OcspClient({ ...options, responderRevocation: 'skip' }).check(leafA(), ca()),
    ).resolves.toMatchObject({ status: 'good' });
    const withCheck = new OcspClient({ ...options, responderRevocation: viaCa });
    await expect(withCheck.check(leafA(), ca())).resolves.toMatchObject({ status: 'good' });
    responderStatus = 'revoked';
    await expect(withCheck.check(leafA(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_SIGNER_UNAUTHORISED',
    });
  });
});

describe('OCSP availability', () => {
  it('says unavailable when the responder is down', async () => {
    const down = await startTestServer();
    await down.close();
    const check = new OcspClient({ responderUrl: down.url }).check(leafA(), ca());
    await expect(check).rejects.toMatchObject({
      code: 'PKI_OCSP_UNAVAILABLE',
      context: { reason: 'network' },
    });
  });

  it('says unavailable on an HTTP error, a wrong content type and an oversized body', async () => {
    const client = new OcspClient({ clock: new ManualClock(start), maxResponseBytes: 1024 });

    server.setHandler((_req, res) => res.writeHead(500).end());
    await expect(client.check(leafA(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_UNAVAILABLE',
      context: { httpStatus: 500 },
    });
    server.setHandler(sendBytes(new Uint8Array([1, 2, 3]), 'text/html'));
    await expect(client.check(leafA(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_UNAVAILABLE',
    });
    server.setHandler(sendBytes(new Uint8Array(4096)));
    await expect(client.check(leafA(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_UNAVAILABLE',
      context: { limit: 1024 },
    });
  });

  it('says unavailable on a timeout, and passes on the caller abort reason', async () => {
    server.setHandler(() => undefined);
    const timed = new OcspClient({ timeoutMs: 50 }).check(leafA(), ca());
    await expect(timed).rejects.toMatchObject({
      code: 'PKI_OCSP_UNAVAILABLE',
      context: { reason: 'timeout' },
    });

    const controller = new AbortController();
    const aborted = new OcspClient().check(leafA(), ca(), { signal: controller.signal });
    controller.abort(new Error('case cancelled'));
    await expect(aborted).rejects.toThrow('case cancelled');
  });

  it('maps responder statuses: tryLater is unavailable, unauthorized a refusal', async () => {
    const client = new OcspClient({ clock: new ManualClock(start) });
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } without responseBytes.
    server.setHandler(sendBytes(new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x03])));
    await expect(client.check(leafA(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_UNAVAILABLE',
      context: { responseStatus: 'tryLater' },
    });
    server.setHandler(sendBytes(new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x06])));
    await expect(client.check(leafA(), ca())).rejects.toMatchObject({
      code: 'PKI_OCSP_REFUSED',
      context: { responseStatus: 'unauthorized' },
    });
  });

  it('says there is no responder when the certificate names none', async () => {
    // The intermediate has no AuthorityInfoAccess.
    const check = new OcspClient().check(pki.intermediate.certificate, pki.root.certificate);
    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_NO_RESPONDER' });
  });
});

describe('OCSP responder', () => {
  it('refuses a key that does not belong to its certificate', () => {
    expect(() =>
      createOcspResponder({
        issuer: { certificate: pki.intermediate.certificate, key: pki.root.key },
        statusOf: () => ({ status: 'good' }),
      }),
    ).toThrow(expect.objectContaining({ code: 'PKI_OCSP_RESPONDER_CONFIG' }));
  });
});
