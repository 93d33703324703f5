import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import {
  signXml,
  trustPinnedCertificates,
  verifyXml,
  type VerifyXmlOptions,
} from '../src/index.js';
import type { CertificateValidator } from '../src/pki/certificate-validator.js';
import { signWithXmlCrypto } from './helpers/xml-crypto-signer.js';
import { codeOf, trustedValidator } from './helpers/xml-trust.js';
import {
  chainOf,
  createXmlWorld,
  dom,
  DSIG,
  first,
  text,
  type XmlWorld,
} from './helpers/xml-world.js';

let world: XmlWorld;
let validator: CertificateValidator;
beforeAll(async () => {
  world = await createXmlWorld();
  validator = trustedValidator(world);
});

const DAY = 86_400_000;
const LIST =
  '<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#" Id="tsl">' +
  '<tsl:SchemeInformation><tsl:TSLSequenceNumber>7</tsl:TSLSequenceNumber>' +
  '</tsl:SchemeInformation><tsl:TrustServiceProviderList>' +
  '<tsl:Provider>Example CA</tsl:Provider></tsl:TrustServiceProviderList>' +
  '</tsl:TrustServiceStatusList>';
const BATCH =
  '<b:Batch xmlns:b="urn:example:batch"><b:Answers Id="answers-1">' +
  '<b:Answer n="1">found</b:Answer></b:Answers><b:Note>unsigned</b:Note></b:Batch>';

function check(xml: string, extra: Partial<VerifyXmlOptions> = {}) {
  return verifyXml(xml, { trust: validator, ...extra });
}

describe('signXml / verifyXml', () => {
  for (const algorithm of ['ec', 'rsa'] as const) {
    it(`signs a whole document with ${algorithm.toUpperCase()} (URI="", enveloped)`, async () => {
      const seal = world[algorithm].seal;
      const signed = signXml(LIST, { privateKey: seal.key, certificates: chainOf(seal) });
      const reference = first(dom(signed), DSIG, 'Reference');
      expect(reference.getAttribute('URI')).toBe('');
      expect(signed).toContain('xmldsig#enveloped-signature');

      const result = await check(signed);
      expect(result.element).toBe(result.document.documentElement);
      expect(result.signer.fingerprintSha256).toBe(seal.certificate.fingerprintSha256);
      expect(result.element.lastChild?.localName).toBe('Signature');
    });
  }

  it('signs one element by id and returns exactly that element', async () => {
    const seal = world.ec.seal;
    const signed = signXml(BATCH, {
      privateKey: seal.key,
      certificates: chainOf(seal),
      signedElement: { id: 'answers-1' },
    });
    const result = await check(signed, { signedElement: { id: 'answers-1' } });
    expect(result.element.localName).toBe('Answers');
    expect(await codeOf(check(signed))).toBe('XML_WRAPPING');
    expect(await codeOf(check(signed, { signedElement: { id: 'other' } }))).toBe(
      'XML_REFERENCE_UNRESOLVED',
    );
  });

  it('refuses the signed element moved away with a look-alike in its place', async () => {
    const seal = world.ec.seal;
    const signed = signXml(BATCH, {
      privateKey: seal.key,
      certificates: chainOf(seal),
      signedElement: { id: 'answers-1' },
    });
    const doc = dom(signed);
    const answers = doc.getElementsByTagNameNS('urn:example:batch', 'Answers').item(0);
    const fake = answers?.cloneNode(true);
    if (!answers || !fake || !doc.documentElement) throw new Error('test document');
    answers.parentNode?.removeChild(answers);
    doc.documentElement.appendChild(fake);
    const hidden = doc.createElementNS('urn:attacker', 'x:Hidden');
    hidden.appendChild(answers);
    doc.documentElement.appendChild(hidden);
    expect(await codeOf(check(text(doc), { signedElement: { id: 'answers-1' } }))).toBe(
      'XML_DUPLICATE_ID',
    );
  });

  it('refuses a signed document wrapped in a new root', async () => {
    const seal = world.ec.seal;
    const signed = signXml(LIST, { privateKey: seal.key, certificates: chainOf(seal) });
    const wrapped = `<x:Evil xmlns:x="urn:attacker">${signed}</x:Evil>`;
    expect(await codeOf(check(wrapped))).toBe('XML_DIGEST_MISMATCH');
  });

  it('verifies enveloped signatures by xml-crypto, by URI="" and by the root id', async () => {
    const signer = world.rsa.seal;
    const empty = signWithXmlCrypto(LIST, { signer, references: [''] });
    await expect(check(empty)).resolves.toBeTruthy();
    const byId = signWithXmlCrypto(LIST, {
      signer,
      references: ['/*'],
      transforms: [
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ],
    });
    expect(first(dom(byId), DSIG, 'Reference').getAttribute('URI')).toBe('#tsl');
    const result = await check(byId);
    expect(result.element.localName).toBe('TrustServiceStatusList');
  });

  it('refuses a signature with two references, and SHA-1 unless allowed', async () => {
    const signer = world.rsa.seal;
    const two = signWithXmlCrypto(BATCH, {
      signer,
      references: ['', "//*[local-name(.)='Answers']"],
    });
    expect(await codeOf(check(two))).toBe('XML_REFERENCE_UNEXPECTED');
    const sha1 = signWithXmlCrypto(LIST, { signer, references: [''], sha1: true });
    expect(await codeOf(check(sha1))).toBe('XML_ALGORITHM_FORBIDDEN');
    await expect(check(sha1, { allowSha1: true })).resolves.toBeTruthy();
  });

  it('refuses a missing signature and a second one', async () => {
    expect(await codeOf(check(LIST))).toBe('XML_SIGNATURE_MISSING');
    const seal = world.ec.seal;
    const once = signXml(LIST, { privateKey: seal.key, certificates: chainOf(seal) });
    const twice = signXml(once, { privateKey: seal.key, certificates: chainOf(seal) });
    expect(await codeOf(check(twice))).toBe('XML_SIGNATURE_COUNT');
  });

  it('trusts pinned certificates only, and only while they are valid', async () => {
    const seal = world.ec.seal;
    const signed = signXml(LIST, { privateKey: seal.key, certificates: chainOf(seal) });
    const trust = trustPinnedCertificates([seal.certificate]);
    await expect(check(signed, { trust })).resolves.toBeTruthy();

    const later = new ManualClock(seal.certificate.notAfter.getTime() + DAY);
    const expired = await check(signed, { trust, clock: later }).catch((e: unknown) => e);
    expect(expired).toMatchObject({
      code: 'XML_KEY_UNTRUSTED',
      context: { reason: 'PKI_CERT_EXPIRED' },
    });
    const other = trustPinnedCertificates([world.rsa.seal.certificate]);
    expect(await codeOf(check(signed, { trust: other }))).toBe('XML_KEY_UNTRUSTED');
  });

  it('refuses to sign without a certificate or a target', () => {
    const seal = world.ec.seal;
    expect(() => signXml(LIST, { privateKey: seal.key, certificates: [] })).toThrow(
      expect.objectContaining({ code: 'XML_SIGN_FAILED' }),
    );
    expect(() =>
      signXml(LIST, {
        privateKey: seal.key,
        certificates: chainOf(seal),
        signedElement: { id: 'nope' },
      }),
    ).toThrow(expect.objectContaining({ code: 'XML_SIGN_FAILED' }));
  });

  it('keeps characters that canonicalisation escapes, and a carriage return', async () => {
    const seal = world.ec.seal;
    const tricky = '<a><t>&lt;&amp;&gt; "q" &#xD; \u2028 č</t><u v="&quot;&#x9;&lt;"/></a>';
    const signed = signXml(tricky, { privateKey: seal.key, certificates: chainOf(seal) });
    const result = await check(signed);
    expect(result.element.firstChild?.textContent).toBe('<&> "q" \r \u2028 č');
  });
});
