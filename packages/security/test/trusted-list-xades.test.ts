// Trusted lists signed the way member states sign them: enveloped XAdES-B-B, and its refusals.

import { beforeAll, describe, expect, it } from 'vitest';
import { createDevPki, loadTrustedList, type DevIssued, type DevPki } from '../src/index.js';
import {
  GRANTED,
  buildTrustedListXml,
  signTrustedList,
  type ListSpec,
} from './helpers/trusted-list-builder.js';
import {
  DSIG,
  ECDSA_SHA384,
  RSA_SHA256,
  XADES,
  signXadesForTest,
  type XadesSpec,
} from './helpers/xades-signer.js';
import { dom, first, text } from './helpers/xml-world.js';

const DAY = 86_400_000;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const signedAt = new Date(now.getTime() - DAY);

let pki: DevPki;
let rsaSigner: DevIssued;
let ecSigner: DevIssued;
let stranger: DevIssued;
let spec: ListSpec;

beforeAll(async () => {
  const tslSigning = {
    name: 'tl-signer',
    keyUsage: ['digitalSignature' as const, 'nonRepudiation' as const],
    // id-tsl-kp-tslSigning (ETSI TS 119 612 5.7.1).
    extendedKeyUsage: ['0.4.0.2231.3.0'],
  };
  const [ec, rsa, other] = await Promise.all([
    createDevPki({ now, extras: [tslSigning] }),
    createDevPki({ now, keyAlgorithm: 'rsa-2048', extras: [tslSigning] }),
    createDevPki({ now, extras: [tslSigning] }),
  ]);
  pki = ec;
  ecSigner = ec.extras['tl-signer']!;
  rsaSigner = rsa.extras['tl-signer']!;
  stranger = other.extras['tl-signer']!;
  spec = {
    territory: 'SI',
    issued: signedAt,
    nextUpdate: new Date(now.getTime() + 30 * DAY),
    providers: [
      {
        name: 'Development QTSP',
        services: [
          {
            name: 'Qualified CA',
            status: GRANTED,
            since: new Date(now.getTime() - 100 * DAY),
            certificates: [pki.intermediate.certificate],
          },
        ],
      },
    ],
  };
});

const xades = (signer = ecSigner, properties: XadesSpec = {}, xml = buildTrustedListXml(spec)) =>
  signXadesForTest(xml, {
    signer,
    signatureAlgorithm: signer === rsaSigner ? RSA_SHA256 : ECDSA_SHA384,
    xades: { signingTime: signedAt, ...properties },
  });
const load = (xml: string, extra: Partial<Parameters<typeof loadTrustedList>[1]> = {}) =>
  loadTrustedList(xml, { listSigners: [ecSigner.certificate, rsaSigner.certificate], ...extra });

describe('loading a XAdES-signed trusted list', () => {
  for (const name of ['RSA-SHA256', 'ECDSA-SHA384'] as const) {
    it(`loads a list signed with ${name}, inclusive c14n and SigningCertificateV2`, async () => {
      const signer = name === 'RSA-SHA256' ? rsaSigner : ecSigner;
      const xml = xades(signer);
      expect(first(dom(xml), XADES, 'SigningCertificateV2')).toBeTruthy();

      const list = await load(xml, { xades: 'require' });
      expect(list.signer.fingerprintSha256).toBe(signer.certificate.fingerprintSha256);
      expect(list.signingTime?.toISOString()).toBe(signedAt.toISOString());
      expect(list.anchors.map((a) => a.fingerprintSha256)).toEqual([
        pki.intermediate.certificate.fingerprintSha256,
      ]);
    });
  }

  it('loads a plain XML-DSig list by default, but not when XAdES is required', async () => {
    const plain = signTrustedList(buildTrustedListXml(spec), ecSigner);
    expect((await load(plain)).signingTime).toBeNull();
    await expect(load(plain, { xades: 'require' })).rejects.toMatchObject({
      code: 'TL_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_XADES_MISSING' },
    });
  });
});

describe('refusing a XAdES-signed trusted list', () => {
  it('refuses a list with no signature, and one with two', async () => {
    await expect(load(buildTrustedListXml(spec))).rejects.toMatchObject({
      code: 'TL_SIGNATURE_MISSING',
    });
    const twice = xades(ecSigner, {}, xades(rsaSigner));
    await expect(load(twice)).rejects.toMatchObject({ code: 'TL_SIGNATURE_COUNT' });
  });

  it('refuses a list whose content or SignedProperties changed after signing', async () => {
    const xml = xades();
    const content = xml.replace('Development QTSP', 'Evil QTSP');
    await expect(load(content)).rejects.toMatchObject({
      code: 'TL_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_DIGEST_MISMATCH' },
    });

    const doc = dom(xml);
    first(doc, XADES, 'SigningTime').textContent = '2000-01-01T00:00:00Z';
    await expect(load(text(doc))).rejects.toMatchObject({
      code: 'TL_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_DIGEST_MISMATCH' },
    });
  });

  it('refuses SignedProperties that are not inside the Signature', async () => {
    await expect(load(xades(ecSigner, { outside: true }))).rejects.toMatchObject({
      code: 'TL_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_XADES_MALFORMED' },
    });
  });

  it('refuses a list whose SigningCertificateV2 names another certificate', async () => {
    const xml = xades(ecSigner, { certDigestOf: rsaSigner.certificate });
    await expect(load(xml)).rejects.toMatchObject({
      code: 'TL_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_SIGNING_CERTIFICATE_MISMATCH' },
    });
  });

  it('refuses a list signed by a certificate that is not configured', async () => {
    await expect(load(xades(stranger))).rejects.toMatchObject({ code: 'TL_SIGNER_UNTRUSTED' });
    // Naming a configured signer in SigningCertificateV2 does not help the stranger.
    const claimed = xades(stranger, { certDigestOf: ecSigner.certificate });
    await expect(load(claimed)).rejects.toMatchObject({ code: 'TL_SIGNER_UNTRUSTED' });
  });

  it('refuses a list whose KeyInfo was swapped for a configured signer', async () => {
    const doc = dom(xades(stranger, { certDigestOf: ecSigner.certificate }));
    first(doc, DSIG, 'X509Certificate').textContent = Buffer.from(
      ecSigner.certificate.der,
    ).toString('base64');
    await expect(load(text(doc))).rejects.toMatchObject({
      code: 'TL_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_SIGNATURE_INVALID' },
    });
  });
});
