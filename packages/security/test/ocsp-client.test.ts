// The OCSP client against the OCSP responder on a real HTTP server: statuses, cache, failures.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import {
  OcspClient,
  createDevPki,
  createOcspResponder,
  type DevPki,
  type OcspResponderOptions,
  type ResponderCertStatus,
} from '../src/index.js';
import { startTestServer, type TestServer } from './helpers/ocsp-fixtures.js';

const HOUR = 3_600_000;
const start = new Date(Math.floor(Date.now() / 1000) * 1000);

let server: TestServer;
let pki: DevPki;
let statuses: Map<string, ResponderCertStatus>;

beforeAll(async () => {
  server = await startTestServer();
  pki = await createDevPki({
    now: start,
    ocspUrl: server.url,
    organisations: [
      { name: 'Centre A', id: 'a' },
      { name: 'Centre B', id: 'b' },
    ],
  });
  statuses = new Map();
});
afterAll(() => server.close());

function serve(clock: ManualClock, extra: Partial<OcspResponderOptions> = {}): void {
  server.setHandler(
    createOcspResponder({
      issuer: { certificate: pki.intermediate.certificate, key: pki.intermediate.key },
      statusOf: (serial) => statuses.get(serial) ?? { status: 'good' },
      clock,
      ...extra,
    }),
  );
}

const leafA = () => pki.organisation('a').client.certificate;
const leafB = () => pki.organisation('b').client.certificate;
const ca = () => pki.intermediate.certificate;

describe('OCSP client', () => {
  it('reports a good certificate, with the response times', async () => {
    const clock = new ManualClock(start);
    serve(clock);
    const client = new OcspClient({ clock });

    const result = await client.check(leafA(), ca());

    expect(result).toMatchObject({ status: 'good', source: 'ocsp', cached: false });
    expect(result.thisUpdate.getTime()).toBe(start.getTime());
    expect(result.nextUpdate?.getTime()).toBe(start.getTime() + HOUR);
  });

  it('reports a revoked certificate with its reason and revocation time', async () => {
    const clock = new ManualClock(start);
    const revokedAt = new Date(start.getTime() - 2 * HOUR);
    statuses.set(leafB().serialNumber, { status: 'revoked', revokedAt, reason: 'keyCompromise' });
    serve(clock);

    const result = await new OcspClient({ clock }).check(leafB(), ca());

    expect(result.status).toBe('revoked');
    expect(result.reason).toBe('keyCompromise');
    expect(result.revokedAt?.toISOString()).toBe(revokedAt.toISOString());
    statuses.delete(leafB().serialNumber);
  });

  it('reports good at a validation time before the revocation, keeping revokedAt', async () => {
    const clock = new ManualClock(start);
    const revokedAt = new Date(start.getTime() - HOUR);
    statuses.set(leafB().serialNumber, { status: 'revoked', revokedAt });
    serve(clock);

    const result = await new OcspClient({ clock }).check(leafB(), ca(), {
      time: new Date(start.getTime() - 3 * HOUR),
    });

    expect(result.status).toBe('good');
    expect(result.revokedAt?.toISOString()).toBe(revokedAt.toISOString());
    statuses.delete(leafB().serialNumber);
  });

  it('reports unknown when the responder does not know the certificate', async () => {
    const clock = new ManualClock(start);
    statuses.set(leafB().serialNumber, { status: 'unknown' });
    serve(clock);

    const result = await new OcspClient({ clock }).check(leafB(), ca());

    expect(result.status).toBe('unknown');
    statuses.delete(leafB().serialNumber);
  });

  it("refuses an answer about the root's certificate signed by the intermediate", async () => {
    const clock = new ManualClock(start);
    serve(clock);

    // The intermediate's responder says `unknown`, signed with a key the root never authorised.
    const check = new OcspClient({ clock, responderUrl: server.url }).check(
      pki.intermediate.certificate,
      pki.root.certificate,
    );

    await expect(check).rejects.toMatchObject({ code: 'PKI_OCSP_SIGNER_UNAUTHORISED' });
  });

  it('asks with a SHA-1 CertID when configured, and with a nonce that comes back', async () => {
    const clock = new ManualClock(start);
    serve(clock);

    const client = new OcspClient({ clock, certIdHash: 'sha1', nonce: true });

    await expect(client.check(leafA(), ca())).resolves.toMatchObject({ status: 'good' });
  });

  it('reuses a cached response until nextUpdate, then asks again', async () => {
    const clock = new ManualClock(start);
    serve(clock);
    const client = new OcspClient({ clock });
    const before = server.requests;

    const first = await client.check(leafA(), ca());
    clock.advance(30 * 60_000);
    const second = await client.check(leafA(), ca());

    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(server.requests - before).toBe(1);

    clock.advance(HOUR);
    const third = await client.check(leafA(), ca());
    expect(third.cached).toBe(false);
    expect(server.requests - before).toBe(2);
  });

  it('caches a response without nextUpdate only up to the freshness limit', async () => {
    const clock = new ManualClock(start);
    serve(clock, { validityMs: null });
    const client = new OcspClient({ clock, maxAgeMs: 10 * 60_000 });
    const before = server.requests;

    await client.check(leafA(), ca());
    clock.advance(5 * 60_000);
    await client.check(leafA(), ca());
    expect(server.requests - before).toBe(1);

    clock.advance(6 * 60_000);
    await client.check(leafA(), ca());
    expect(server.requests - before).toBe(2);
  });

  it('does not cache when the cache is disabled', async () => {
    const clock = new ManualClock(start);
    serve(clock);
    const client = new OcspClient({ clock, maxCacheEntries: 0 });
    const before = server.requests;

    await client.check(leafA(), ca());
    await client.check(leafA(), ca());

    expect(server.requests - before).toBe(2);
  });

  it('works with RSA keys', async () => {
    const rsaServer = await startTestServer();
    try {
      const rsa = await createDevPki({
        now: start,
        keyAlgorithm: 'rsa-2048',
        ocspUrl: rsaServer.url,
      });
      const clock = new ManualClock(start);
      rsaServer.setHandler(
        createOcspResponder({
          issuer: { certificate: rsa.intermediate.certificate, key: rsa.intermediate.key },
          statusOf: () => ({ status: 'revoked', revokedAt: start, reason: 'superseded' }),
          clock,
        }),
      );

      const result = await new OcspClient({ clock }).check(
        rsa.seal.certificate,
        rsa.intermediate.certificate,
      );

      expect(result).toMatchObject({ status: 'revoked', reason: 'superseded' });
    } finally {
      await rsaServer.close();
    }
  });
});
