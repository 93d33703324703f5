import { verify } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { ManualClock } from '@interop-blocks/core';
import {
  buildSoapEnvelope,
  parseXmlSafely,
  readSoapPayload,
  signSoapEnvelope,
  verifySoapEnvelope,
  type SignSoapOptions,
  type VerifySoapOptions,
} from '../src/index.js';
import type { DevPki } from '../src/dev-pki/dev-pki-options.js';
import type { CertificateValidator } from '../src/pki/certificate-validator.js';
import { signWithXmlCrypto } from './helpers/xml-crypto-signer.js';
import { codeOf, trustedValidator } from './helpers/xml-trust.js';
import {
  chainOf,
  createXmlWorld,
  dom,
  DSIG,
  first,
  payload,
  SOAP,
  text,
  WSU,
  type XmlWorld,
} from './helpers/xml-world.js';

let world: XmlWorld;
let validator: CertificateValidator;
beforeAll(async () => {
  world = await createXmlWorld();
  validator = trustedValidator(world);
});

const NOW = Date.now();
const MINUTE = 60_000;

function sign(pki: DevPki, extra: Partial<SignSoapOptions> = {}): string {
  return signSoapEnvelope(buildSoapEnvelope(payload()), {
    privateKey: pki.seal.key,
    certificates: chainOf(pki.seal),
    clock: new ManualClock(NOW),
    ...extra,
  });
}

function check(xml: string, extra: Partial<VerifySoapOptions> = {}) {
  return verifySoapEnvelope(xml, {
    trust: validator,
    clock: new ManualClock(NOW + 1000),
    ...extra,
  });
}

describe('SOAP round trips', () => {
  for (const algorithm of ['ec', 'rsa'] as const) {
    for (const keyInfo of ['binary-security-token', 'x509-data'] as const) {
      it(`signs and verifies with ${algorithm.toUpperCase()}, key in ${keyInfo}`, async () => {
        const pki = world[algorithm];
        const result = await check(sign(pki, { keyInfo }));

        expect(result.signer.fingerprintSha256).toBe(pki.seal.certificate.fingerprintSha256);
        expect(result.chain).toHaveLength(3);
        expect(result.body).toBe(result.document.documentElement?.lastChild);
        const query = readSoapPayload(result.body);
        expect(query.namespaceURI).toBe('urn:example:query');
        expect(query.getElementsByTagNameNS('urn:example:query', 'Id').item(0)?.textContent).toBe(
          '10000000',
        );
        expect(result.timestamp?.created.getTime()).toBe(NOW);
        expect(result.timestamp?.expires.getTime()).toBe(NOW + 5 * MINUTE);
      });
    }
  }

  it('writes ECDSA signature values as r || s (XML-DSig 1.1 6.4.3)', () => {
    const doc = dom(sign(world.ec));
    expect(first(doc, DSIG, 'SignatureMethod').getAttribute('Algorithm')).toBe(
      'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
    );
    const value = Buffer.from(first(doc, DSIG, 'SignatureValue').textContent ?? '', 'base64');
    expect(value).toHaveLength(64);

    // Checked independently: xml-crypto's canonical SignedInfo and node:crypto.
    const canonical = new ExclusiveCanonicalization().process(
      first(doc, DSIG, 'SignedInfo') as never,
      {},
    ) as string;
    const key = world.ec.seal.certificate.publicKey;
    expect(
      verify('sha256', Buffer.from(canonical), { key, dsaEncoding: 'ieee-p1363' }, value),
    ).toBe(true);
    expect(verify('sha256', Buffer.from(canonical), key, value)).toBe(false);
  });

  it('is accepted by xml-crypto used the README way', () => {
    const signed = sign(world.rsa);
    const doc = new DOMParser().parseFromString(signed, 'text/xml');
    const sig = new SignedXml({ publicCert: world.rsa.seal.certPem });
    sig.loadSignature(first(doc, DSIG, 'Signature') as never);
    expect(sig.checkSignature(signed)).toBe(true);
  });

  it('accepts a WS-Security message signed by xml-crypto', async () => {
    const unsigned = stripSignature(sign(world.rsa, { keyInfo: 'x509-data' }));
    const signed = signWithXmlCrypto(unsigned, {
      signer: world.rsa.seal,
      references: ["//*[local-name(.)='Body']", "//*[local-name(.)='Timestamp']"],
      location: "//*[local-name(.)='Security']",
    });
    const result = await check(signed);
    expect(result.signer.fingerprintSha256).toBe(world.rsa.seal.certificate.fingerprintSha256);
  });

  it('honours an InclusiveNamespaces PrefixList (a QName in content)', async () => {
    const envelope =
      `<soap:Envelope xmlns:soap="${SOAP}" xmlns:q="urn:example:kinds"><soap:Header/>` +
      '<soap:Body><Ping xmlns="urn:p" kind="q:Thing"/></soap:Body></soap:Envelope>';
    const unsigned = stripSignature(
      signSoapEnvelope(envelope, {
        privateKey: world.rsa.seal.key,
        certificates: chainOf(world.rsa.seal),
        keyInfo: 'x509-data',
        clock: new ManualClock(NOW),
      }),
    );
    const signed = signWithXmlCrypto(unsigned, {
      signer: world.rsa.seal,
      references: ["//*[local-name(.)='Body']", "//*[local-name(.)='Timestamp']"],
      location: "//*[local-name(.)='Security']",
      inclusivePrefixes: ['q'],
    });
    expect(signed).toContain('PrefixList="q"');
    await expect(check(signed)).resolves.toBeTruthy();
    const moved = signed.replace('xmlns:q="urn:example:kinds"', 'xmlns:q="urn:example:other"');
    expect(await codeOf(check(moved))).toBe('XML_DIGEST_MISMATCH');
  });

  it('keeps an id the Body already has', async () => {
    const envelope = buildSoapEnvelope(payload()).replace('<soap:Body', '<soap:Body Id="b-1"');
    const signed = signSoapEnvelope(envelope, {
      privateKey: world.ec.seal.key,
      certificates: chainOf(world.ec.seal),
      clock: new ManualClock(NOW),
    });
    expect(signed).toContain('URI="#b-1"');
    await expect(check(signed)).resolves.toBeTruthy();
  });

  it('builds the envelope from an xmlbuilder2 object', async () => {
    const envelope = buildSoapEnvelope({ 'q:Ping': { '@xmlns:q': 'urn:q', 'q:At': '1' } });
    const signed = signSoapEnvelope(envelope, {
      privateKey: world.ec.seal.key,
      certificates: chainOf(world.ec.seal),
      clock: new ManualClock(NOW),
    });
    const { body } = await check(signed);
    expect(readSoapPayload(body).localName).toBe('Ping');
  });

  it('refuses to sign an envelope that already has a Security header', () => {
    const signed = sign(world.ec);
    expect(() =>
      signSoapEnvelope(signed, {
        privateKey: world.ec.seal.key,
        certificates: chainOf(world.ec.seal),
      }),
    ).toThrow(expect.objectContaining({ code: 'XML_SIGN_FAILED' }));
  });
});

describe('SOAP timestamps', () => {
  it('refuses an expired timestamp', async () => {
    const clock = new ManualClock(NOW + 6 * MINUTE + 1);
    expect(await codeOf(check(sign(world.ec), { clock }))).toBe('XML_TIMESTAMP_EXPIRED');
  });

  it('refuses a timestamp created beyond the clock skew in the future', async () => {
    const early = sign(world.ec, { clock: new ManualClock(NOW + 2 * MINUTE) });
    expect(await codeOf(check(early))).toBe('XML_TIMESTAMP_FUTURE');
    await expect(check(early, { clockSkewMs: 3 * MINUTE })).resolves.toBeTruthy();
    const slightly = sign(world.ec, { clock: new ManualClock(NOW + 30_000) });
    await expect(check(slightly)).resolves.toBeTruthy();
  });

  it('refuses a long-lived timestamp created longer ago than maxAgeMs', async () => {
    const signed = sign(world.ec, { timestampTtlSeconds: 3600 });
    const clock = new ManualClock(NOW + 10 * MINUTE);
    expect(await codeOf(check(signed, { clock }))).toBe('XML_TIMESTAMP_EXPIRED');
    await expect(check(signed, { clock, maxAgeMs: 20 * MINUTE })).resolves.toBeTruthy();
  });

  it('refuses a message without a Timestamp unless told otherwise', async () => {
    const doc = dom(stripSignature(sign(world.rsa, { keyInfo: 'x509-data' })));
    const timestamp = first(doc, WSU, 'Timestamp');
    timestamp.parentNode?.removeChild(timestamp);
    const signed = signWithXmlCrypto(text(doc), {
      signer: world.rsa.seal,
      references: ["//*[local-name(.)='Body']"],
      location: "//*[local-name(.)='Security']",
    });
    expect(await codeOf(check(signed))).toBe('XML_TIMESTAMP_MISSING');
    const result = await check(signed, { requireTimestamp: false });
    expect(result.timestamp).toBeNull();
  });

  it('refuses a changed timestamp', async () => {
    const signed = sign(world.ec).replace(
      /<wsu:Expires>[^<]*/,
      '<wsu:Expires>2099-01-01T00:00:00Z',
    );
    expect(await codeOf(check(signed))).toBe('XML_DIGEST_MISMATCH');
  });

  it('refuses a signed timestamp whose times are not xsd:dateTime', async () => {
    const unsigned = stripSignature(sign(world.rsa, { keyInfo: 'x509-data' }));
    const signed = signWithXmlCrypto(unsigned.replace(/<wsu:Expires>[^<]*/, '<wsu:Expires>soon'), {
      signer: world.rsa.seal,
      references: ["//*[local-name(.)='Body']", "//*[local-name(.)='Timestamp']"],
      location: "//*[local-name(.)='Security']",
    });
    expect(await codeOf(check(signed))).toBe('XML_TIMESTAMP_MALFORMED');
  });
});

describe('SOAP structure', () => {
  it('refuses a document that is not a SOAP 1.1 envelope', async () => {
    expect(await codeOf(check('<a/>'))).toBe('XML_SOAP_MALFORMED');
    const soap12 =
      '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>';
    expect(await codeOf(check(soap12))).toBe('XML_SOAP_MALFORMED');
  });

  it('reads exactly one payload element from a Body', () => {
    const doc = parseXmlSafely(`<s:Body xmlns:s="${SOAP}"><a/><b/></s:Body>`);
    expect(() => readSoapPayload(doc.documentElement as never)).toThrow(
      expect.objectContaining({ code: 'XML_SOAP_MALFORMED' }),
    );
  });
});

/** The signed message with its ds:Signature removed (Security, Timestamp and token kept). */
export function stripSignature(signed: string): string {
  const doc = dom(signed);
  const signature = first(doc, DSIG, 'Signature');
  signature.parentNode?.removeChild(signature);
  return text(doc);
}
