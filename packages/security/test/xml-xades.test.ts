// XAdES-B-B signatures (ETSI EN 319 132-1) as EU trusted lists carry them, and the new algorithms.

import { SignedXml } from 'xml-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyXml, type VerifyXmlOptions } from '../src/index.js';
import type { CertificateValidator } from '../src/pki/certificate-validator.js';
import {
  C14N,
  ECDSA_SHA384,
  ENVELOPED,
  EXC,
  RSA_SHA256,
  SHA384,
  SHA512,
  XADES,
  signXadesForTest,
  type TestSignOptions,
} from './helpers/xades-signer.js';
import { codeOf, trustedValidator } from './helpers/xml-trust.js';
import { createXmlWorld, dom, DSIG, first, text, type XmlWorld } from './helpers/xml-world.js';

let world: XmlWorld;
let validator: CertificateValidator;
beforeAll(async () => {
  world = await createXmlWorld();
  validator = trustedValidator(world);
});

// A default namespace and an unused prefix on the root: inclusive c14n carries both into
// SignedInfo and SignedProperties, exclusive c14n does not.
const LIST =
  '<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" TSLTag="http://uri.etsi.org/19612/TSLTag">' +
  '<SchemeInformation><TSLSequenceNumber>7</TSLSequenceNumber></SchemeInformation>' +
  '<TrustServiceProviderList><Provider>Example CA</Provider></TrustServiceProviderList>' +
  '</TrustServiceStatusList>';
const SIGNED_AT = new Date('2026-01-15T10:00:00Z');

const rsa = (extra: Partial<TestSignOptions> = {}) =>
  signXadesForTest(LIST, {
    signer: world.rsa.seal,
    signatureAlgorithm: RSA_SHA256,
    xades: { signingTime: SIGNED_AT },
    ...extra,
  });
const ec = (extra: Partial<TestSignOptions> = {}) =>
  signXadesForTest(LIST, {
    signer: world.ec.seal,
    signatureAlgorithm: ECDSA_SHA384,
    xades: { signingTime: SIGNED_AT },
    ...extra,
  });
const check = (xml: string, extra: Partial<VerifyXmlOptions> = {}) =>
  verifyXml(xml, { trust: validator, xades: 'require', ...extra });

/** Edits a signed document the way an attacker would, with plain xmldom. */
function edit(xml: string, change: (doc: ReturnType<typeof dom>) => void): string {
  const doc = dom(xml);
  change(doc);
  return text(doc);
}

describe('verifyXml with XAdES', () => {
  it('verifies XAdES-B-B by RSA-SHA256 with inclusive c14n, and reads SigningTime', async () => {
    const signed = rsa();
    const result = await check(signed);

    expect(result.element).toBe(result.document.documentElement);
    expect(result.signer.fingerprintSha256).toBe(world.rsa.seal.certificate.fingerprintSha256);
    expect(result.xades?.signingTime?.toISOString()).toBe(SIGNED_AT.toISOString());
    expect(result.xades?.signedProperties.localName).toBe('SignedProperties');
    expect(first(dom(signed), DSIG, 'CanonicalizationMethod').getAttribute('Algorithm')).toBe(C14N);
  });

  it('produces test signatures that xml-crypto verifies too', () => {
    const signed = rsa({ documentTransforms: [ENVELOPED, C14N] });
    const verifier = new SignedXml({ publicCert: world.rsa.seal.certPem });
    verifier.loadSignature(first(dom(signed), DSIG, 'Signature').toString());

    expect(verifier.checkSignature(signed)).toBe(true);
  });

  it('verifies XAdES-B-B by ECDSA-SHA384 and with SigningCertificate version 1', async () => {
    await expect(check(ec())).resolves.toMatchObject({ signatureAlgorithm: ECDSA_SHA384 });
    const v1 = ec({ xades: { signingCertificate: 'v1' } });
    expect(first(dom(v1), XADES, 'IssuerSerial')).toBeTruthy();
    await expect(check(v1)).resolves.toBeTruthy();
  });

  it('accepts inclusive c14n transforms, explicit or implied, on both references', async () => {
    const explicit = rsa({ documentTransforms: [ENVELOPED, C14N], propertiesTransforms: [C14N] });
    await expect(check(explicit)).resolves.toBeTruthy();
    const implied = ec({ documentTransforms: [ENVELOPED], propertiesTransforms: [] });
    await expect(check(implied)).resolves.toBeTruthy();
  });

  it('accepts XAdES only when asked, and plain XML-DSig unless XAdES is required', async () => {
    expect(await codeOf(check(rsa(), { xades: 'off' }))).toBe('XML_ALGORITHM_FORBIDDEN');
    const exclusive = rsa({ signedInfoC14n: EXC });
    expect(await codeOf(check(exclusive, { xades: undefined }))).toBe('XML_REFERENCE_UNEXPECTED');

    const plain = rsa({ xades: false });
    expect(await codeOf(check(plain))).toBe('XML_XADES_MISSING');
    const allowed = await check(plain, { xades: 'allow' });
    expect(allowed.xades).toBeNull();
  });

  it('refuses a changed document and a changed SigningTime', async () => {
    const signed = ec();
    const document = signed.replace('Example CA', 'Evil CA');
    expect(await codeOf(check(document))).toBe('XML_DIGEST_MISMATCH');
    const time = signed.replace('2026-01-15T10:00:00Z', '2026-01-16T10:00:00Z');
    expect(time).not.toBe(signed);
    expect(await codeOf(check(time))).toBe('XML_DIGEST_MISMATCH');
  });

  it('refuses SignedProperties outside the Signature, even with a look-alike inside', async () => {
    const outside = rsa({ xades: { signingTime: SIGNED_AT, outside: true } });
    expect(await codeOf(check(outside))).toBe('XML_XADES_MALFORMED');

    const decoy = edit(outside, (doc) => {
      const signature = first(doc, DSIG, 'Signature');
      const object = first(doc, DSIG, 'Object').cloneNode(true) as ReturnType<typeof first>;
      const copy = object.getElementsByTagNameNS(XADES, 'SignedProperties').item(0);
      copy?.removeAttribute('Id');
      signature.appendChild(object);
    });
    expect(await codeOf(check(decoy))).toBe('XML_WRAPPING');
  });

  it('refuses QualifyingProperties that qualify another Signature, or come twice', async () => {
    const target = ec({ xades: { target: '#another-signature' } });
    expect(await codeOf(check(target))).toBe('XML_XADES_MALFORMED');
    await expect(check(ec({ xades: { target: null } }))).resolves.toBeTruthy();

    const twice = edit(ec(), (doc) => {
      const object = first(doc, DSIG, 'Object');
      const copy = object.cloneNode(true) as ReturnType<typeof first>;
      copy.getElementsByTagNameNS(XADES, 'SignedProperties').item(0)?.removeAttribute('Id');
      object.parentNode?.appendChild(copy);
    });
    expect(await codeOf(check(twice))).toBe('XML_XADES_MALFORMED');
  });

  it('refuses references other than the data and its own SignedProperties', async () => {
    const untyped = edit(ec(), (doc) => {
      doc.getElementsByTagNameNS(DSIG, 'Reference').item(1)?.removeAttribute('Type');
    });
    expect(await codeOf(check(untyped))).toBe('XML_REFERENCE_UNEXPECTED');
    const third = edit(ec(), (doc) => {
      const reference = doc.getElementsByTagNameNS(DSIG, 'Reference').item(1);
      reference?.parentNode?.appendChild(reference.cloneNode(true));
    });
    expect(await codeOf(check(third))).toBe('XML_REFERENCE_UNEXPECTED');
    const unsigned = edit(ec(), (doc) => {
      const reference = doc.getElementsByTagNameNS(DSIG, 'Reference').item(1);
      reference?.parentNode?.removeChild(reference);
    });
    expect(await codeOf(check(unsigned))).toBe('XML_REFERENCE_UNEXPECTED');
  });

  it('refuses a signing certificate that is not the one whose key verified', async () => {
    const other = world.ec.person.certificate;
    const digest = ec({ xades: { certDigestOf: other } });
    expect(await codeOf(check(digest))).toBe('XML_SIGNING_CERTIFICATE_MISMATCH');
    const serial = ec({ xades: { signingCertificate: 'v1', serialOf: other } });
    expect(await codeOf(check(serial))).toBe('XML_SIGNING_CERTIFICATE_MISMATCH');
  });

  it('refuses a SigningTime without a time zone', async () => {
    const signed = edit(ec(), (doc) => {
      const time = first(doc, XADES, 'SigningTime');
      if (time.firstChild) time.firstChild.nodeValue = '2026-01-15T10:00:00';
    });
    expect(await codeOf(check(signed))).toBe('XML_XADES_MALFORMED');
  });
});

describe('signature algorithms and canonicalisation of verifyXml', () => {
  const MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
  const PSS = 'http://www.w3.org/2007/05/xmldsig-more#';
  const cases = [
    { uri: `${MORE}rsa-sha384`, key: 'rsa', digest: SHA384 },
    { uri: `${MORE}rsa-sha512`, key: 'rsa', digest: SHA512 },
    { uri: `${PSS}sha256-rsa-MGF1`, key: 'rsa', digest: SHA384 },
    { uri: `${PSS}sha384-rsa-MGF1`, key: 'rsa', digest: SHA512 },
    { uri: `${PSS}sha512-rsa-MGF1`, key: 'rsa', digest: SHA512 },
    { uri: `${MORE}ecdsa-sha384`, key: 'ec', digest: SHA384 },
    { uri: `${MORE}ecdsa-sha512`, key: 'ec', digest: SHA512 },
  ] as const;

  for (const { uri, key, digest } of cases) {
    const name = uri.slice(uri.indexOf('#') + 1);
    it(`verifies ${name} with ${digest.slice(-6)} digests, and refuses it tampered`, async () => {
      const signed = signXadesForTest(LIST, {
        signer: world[key].seal,
        signatureAlgorithm: uri,
        digestAlgorithm: digest,
        signedInfoC14n: EXC,
        xades: false,
      });
      const result = await verifyXml(signed, { trust: validator });
      expect(result.signatureAlgorithm).toBe(uri);

      const value = first(dom(signed), DSIG, 'SignatureValue').textContent ?? '';
      const flipped = value.startsWith('A') ? `B${value.slice(1)}` : `A${value.slice(1)}`;
      const tampered = signed.replace(value, flipped);
      expect(await codeOf(verifyXml(tampered, { trust: validator }))).toBe('XML_SIGNATURE_INVALID');
    });
  }

  it('verifies RSA-PSS signatures that xml-crypto made', async () => {
    const sig = new SignedXml({
      privateKey: world.rsa.seal.keyPem,
      publicCert: world.rsa.seal.certPem,
      canonicalizationAlgorithm: EXC,
      signatureAlgorithm: `${PSS}sha256-rsa-MGF1`,
    });
    sig.addReference({
      xpath: '/*',
      isEmptyUri: true,
      transforms: [ENVELOPED, EXC],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    sig.computeSignature(LIST, { prefix: 'ds' });
    await expect(verifyXml(sig.getSignedXml(), { trust: validator })).resolves.toBeTruthy();
  });

  it('refuses inclusive c14n unless allowed, and c14n with comments always', async () => {
    const inclusive = rsa({ xades: false });
    expect(await codeOf(verifyXml(inclusive, { trust: validator }))).toBe(
      'XML_ALGORITHM_FORBIDDEN',
    );
    await expect(
      verifyXml(inclusive, { trust: validator, allowInclusiveC14n: true }),
    ).resolves.toBeTruthy();

    const transform = rsa({ xades: false, signedInfoC14n: EXC, documentTransforms: [ENVELOPED] });
    expect(await codeOf(verifyXml(transform, { trust: validator }))).toBe(
      'XML_TRANSFORM_FORBIDDEN',
    );
    await expect(
      verifyXml(transform, { trust: validator, allowInclusiveC14n: true }),
    ).resolves.toBeTruthy();

    const comments = edit(rsa(), (doc) => {
      first(doc, DSIG, 'CanonicalizationMethod').setAttribute('Algorithm', `${C14N}#WithComments`);
    });
    expect(await codeOf(check(comments))).toBe('XML_ALGORITHM_FORBIDDEN');
  });
});
