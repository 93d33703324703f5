// The OCSP client as a revocation checker of the path validator, against a real responder.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import { OcspClient, createDevPki, createOcspResponder, type DevPki } from '../src/index.js';
import { parseCrl } from '../src/pki/crl.js';
import { validateCertificatePath } from '../src/pki/validate-path.js';
import { startTestServer, type TestServer } from './helpers/ocsp-fixtures.js';

const start = new Date(Math.floor(Date.now() / 1000) * 1000);
let server: TestServer;
let pki: DevPki;
const revoked = new Set<string>();

beforeAll(async () => {
  server = await startTestServer();
  pki = await createDevPki({ now: start, ocspUrl: server.url });
  server.setHandler(
    createOcspResponder({
      issuer: { certificate: pki.intermediate.certificate, key: pki.intermediate.key },
      statusOf: (serial) =>
        revoked.has(serial)
          ? {
              status: 'revoked',
              revokedAt: new Date(start.getTime() - 60_000),
              reason: 'keyCompromise',
            }
          : { status: 'good' },
      clock: new ManualClock(start),
    }),
  );
});
afterAll(() => server.close());

function validate(ocsp: OcspClient) {
  // The intermediate is checked with the root's CRL, the leaf by OCSP alone (no CRL of the CA).
  return validateCertificatePath(pki.seal.certificate, {
    trustAnchors: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    crls: [parseCrl(pki.rootCrl.der)],
    time: start,
    revocation: { mode: 'require', checkers: [ocsp] },
  });
}

describe('OCSP in path validation', () => {
  it('validates a path whose leaf OCSP says is good', async () => {
    const path = await validate(new OcspClient({ clock: new ManualClock(start) }));
    expect(path.leaf.fingerprintSha256).toBe(pki.seal.certificate.fingerprintSha256);
  });

  it('refuses a leaf OCSP says is revoked', async () => {
    revoked.add(pki.seal.certificate.serialNumber);
    try {
      await expect(
        validate(new OcspClient({ clock: new ManualClock(start) })),
      ).rejects.toMatchObject({
        code: 'PKI_CERT_REVOKED',
      });
    } finally {
      revoked.delete(pki.seal.certificate.serialNumber);
    }
  });

  it('refuses when revocation is required and the responder is down', async () => {
    const down = await startTestServer();
    await down.close();
    const ocsp = new OcspClient({ clock: new ManualClock(start), responderUrl: down.url });

    await expect(validate(ocsp)).rejects.toMatchObject({
      code: 'PKI_REVOCATION_UNKNOWN',
      cause: expect.objectContaining({ code: 'PKI_OCSP_UNAVAILABLE' }),
    });
  });
});
