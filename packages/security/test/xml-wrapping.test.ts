import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { ManualClock } from '@interop-blocks/core';
import {
  buildSoapEnvelope,
  readSoapPayload,
  signSoapEnvelope,
  trustPinnedCertificates,
  verifySoapEnvelope,
  type VerifySoapOptions,
} from '../src/index.js';
import type { DevIssued } from '../src/dev-pki/issue-certificate.js';
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
  WSSE,
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
const Q = 'urn:example:query';

function sign(signer: DevIssued = world.ec.seal, keyInfo?: 'x509-data'): string {
  return signSoapEnvelope(buildSoapEnvelope(payload()), {
    privateKey: signer.key,
    certificates: chainOf(signer),
    clock: new ManualClock(NOW),
    keyInfo,
  });
}

function check(xml: string, extra: Partial<VerifySoapOptions> = {}) {
  return verifySoapEnvelope(xml, {
    trust: validator,
    clock: new ManualClock(NOW + 1000),
    ...extra,
  });
}

/** Applies an edit to the parsed message and serialises it again. */
function edit(signed: string, change: (doc: ReturnType<typeof dom>) => void): string {
  const doc = dom(signed);
  change(doc);
  return text(doc);
}

function fakeBody(doc: ReturnType<typeof dom>, id?: string) {
  const body = doc.createElementNS(SOAP, 'soap:Body');
  if (id) body.setAttributeNS(WSU, 'wsu:Id', id);
  const query = doc.createElementNS(Q, 'q:Query');
  query.appendChild(doc.createTextNode('transfer everything'));
  body.appendChild(query);
  return body;
}

describe('signature wrapping', () => {
  it('refuses a signed Body moved into a wrapper with a fake Body in its place', async () => {
    const attacked = edit(sign(), (doc) => {
      const body = first(doc, SOAP, 'Body');
      const wrapper = doc.createElementNS('urn:attacker', 'x:Wrapper');
      first(doc, SOAP, 'Header').appendChild(wrapper);
      wrapper.appendChild(body);
      doc.documentElement?.appendChild(fakeBody(doc));
    });
    expect(await codeOf(check(attacked))).toBe('XML_WRAPPING');
  });

  it('refuses a signed Body moved into the Security header', async () => {
    const attacked = edit(sign(), (doc) => {
      const body = first(doc, SOAP, 'Body');
      first(doc, WSSE, 'Security').appendChild(body);
      doc.documentElement?.appendChild(fakeBody(doc));
    });
    expect(await codeOf(check(attacked))).toBe('XML_WRAPPING');
  });

  it('refuses a fake Body that copies the signed id (duplicate id)', async () => {
    const attacked = edit(sign(), (doc) => {
      const body = first(doc, SOAP, 'Body');
      const id = body.getAttributeNS(WSU, 'Id') ?? '';
      const wrapper = doc.createElementNS('urn:attacker', 'x:Wrapper');
      first(doc, SOAP, 'Header').appendChild(wrapper);
      wrapper.appendChild(body);
      doc.documentElement?.appendChild(fakeBody(doc, id));
    });
    expect(await codeOf(check(attacked))).toBe('XML_DUPLICATE_ID');
  });

  it('refuses a duplicated id anywhere, even on an unrelated element', async () => {
    const attacked = edit(sign(), (doc) => {
      const id = first(doc, WSU, 'Timestamp').getAttributeNS(WSU, 'Id') ?? '';
      const extra = doc.createElementNS(Q, 'q:Note');
      extra.setAttribute('ID', id);
      first(doc, Q, 'Query').appendChild(extra);
    });
    expect(await codeOf(check(attacked))).toBe('XML_DUPLICATE_ID');
  });

  it('refuses a second, unsigned copy of the Body', async () => {
    const after = edit(sign(), (doc) => doc.documentElement?.appendChild(fakeBody(doc)));
    expect(await codeOf(check(after))).toBe('XML_WRAPPING');
    const before = edit(sign(), (doc) => {
      doc.documentElement?.insertBefore(fakeBody(doc), first(doc, SOAP, 'Body'));
    });
    expect(await codeOf(check(before))).toBe('XML_WRAPPING');
  });

  it('refuses a Signature outside the Security header', async () => {
    const attacked = edit(sign(), (doc) => {
      first(doc, SOAP, 'Header').appendChild(first(doc, DSIG, 'Signature'));
    });
    expect(await codeOf(check(attacked))).toBe('XML_WRAPPING');
  });

  it('refuses a reference pointed at another element than the Body', async () => {
    const attacked = edit(sign(), (doc) => {
      const token = first(doc, WSSE, 'BinarySecurityToken').getAttributeNS(WSU, 'Id');
      first(doc, DSIG, 'Reference').setAttribute('URI', `#${token ?? ''}`);
    });
    expect(await codeOf(check(attacked))).toBe('XML_REFERENCE_UNEXPECTED');
  });

  it('refuses a third reference, and two references to one element', async () => {
    const third = edit(sign(), (doc) => {
      const reference = first(doc, DSIG, 'Reference');
      reference.parentNode?.appendChild(reference.cloneNode(true));
    });
    expect(await codeOf(check(third))).toBe('XML_REFERENCE_UNEXPECTED');
  });

  it('refuses XPointer and external reference URIs', async () => {
    for (const uri of ["#xpointer(id('x'))", 'http://127.0.0.1/body.xml', 'body']) {
      const attacked = edit(sign(), (doc) =>
        first(doc, DSIG, 'Reference').setAttribute('URI', uri),
      );
      expect(await codeOf(check(attacked))).toBe('XML_REFERENCE_UNRESOLVED');
    }
  });
});

describe('comments and text', () => {
  it('ignores a comment injected into signed text and hands back the whole text', async () => {
    const attacked = sign().replace(
      '<q:Purpose>child-benefit</q:Purpose>',
      '<q:Purpose>child-<!--inserted-->benefit</q:Purpose>',
    );
    expect(attacked).toContain('<!--inserted-->');
    const { body } = await check(attacked);
    const purpose = readSoapPayload(body).getElementsByTagNameNS(Q, 'Purpose').item(0);
    expect(purpose?.childNodes.length).toBe(1);
    expect(purpose?.firstChild?.nodeValue).toBe('child-benefit');
  });

  it('refuses a changed text node', async () => {
    const attacked = sign().replace('<q:Purpose>child-benefit<', '<q:Purpose>child-benefiT<');
    expect(await codeOf(check(attacked))).toBe('XML_DIGEST_MISMATCH');
  });

  it('reads a DigestValue split by a comment as its whole value', async () => {
    const signed = sign();
    const attacked = signed.replace(/<ds:DigestValue>(.{10})/, '<ds:DigestValue>$1<!--x-->');
    expect(attacked).not.toBe(signed);
    await expect(check(attacked)).resolves.toBeTruthy();
  });

  it('checks the DigestValue itself: one changed character is refused', async () => {
    const attacked = sign().replace(/<ds:DigestValue>(.)/, (_m, c: string) => {
      return `<ds:DigestValue>${c === 'A' ? 'B' : 'A'}`;
    });
    expect(await codeOf(check(attacked))).toBe('XML_DIGEST_MISMATCH');
  });

  it('refuses a new Body whose fresh digest replaces the signed one', async () => {
    const attacked = edit(sign(), (doc) => {
      const body = first(doc, SOAP, 'Body');
      const query = first(doc, Q, 'Purpose');
      query.textContent = 'other-purpose';
      const canonical = new ExclusiveCanonicalization().process(body as never, {}) as string;
      const digest = createHash('sha256').update(canonical).digest('base64');
      first(doc, DSIG, 'DigestValue').textContent = digest;
    });
    expect(await codeOf(check(attacked))).toBe('XML_SIGNATURE_INVALID');
  });

  it('refuses a tampered byte in the Body and in the SignatureValue', async () => {
    const signed = sign();
    expect(await codeOf(check(signed.replace('>10000003<', '>10000004<')))).toBe(
      'XML_DIGEST_MISMATCH',
    );
    const value = /<ds:SignatureValue>([^<]+)</.exec(signed)?.[1] ?? '';
    const flipped = `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`;
    expect(await codeOf(check(signed.replace(value, flipped)))).toBe('XML_SIGNATURE_INVALID');
  });
});

describe('keys', () => {
  it('refuses a message signed by a certificate nobody trusts', async () => {
    const err = await check(sign(world.stranger.seal)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'XML_KEY_UNTRUSTED',
      context: { reason: 'PKI_PATH_UNTRUSTED' },
    });
  });

  it('refuses an untrusted certificate swapped into the token of a signed message', async () => {
    const stranger = Buffer.from(world.stranger.seal.certificate.der).toString('base64');
    const attacked = edit(sign(), (doc) => {
      first(doc, WSSE, 'BinarySecurityToken').textContent = stranger;
    });
    expect(await codeOf(check(attacked))).toBe('XML_KEY_UNTRUSTED');
  });

  it('takes the key from the certificate: a trusted certificate of another key fails', async () => {
    const other = Buffer.from(world.ec.organisation('registry').client.certificate.der);
    const attacked = edit(sign(), (doc) => {
      first(doc, WSSE, 'BinarySecurityToken').textContent = other.toString('base64');
    });
    expect(await codeOf(check(attacked))).toBe('XML_SIGNATURE_INVALID');
    const rsa = Buffer.from(world.rsa.seal.certificate.der).toString('base64');
    const mismatched = edit(sign(), (doc) => {
      first(doc, WSSE, 'BinarySecurityToken').textContent = rsa;
    });
    expect(await codeOf(check(mismatched))).toBe('XML_KEY_TYPE_MISMATCH');
  });

  it('refuses a KeyInfo with a bare KeyValue', async () => {
    const attacked = edit(sign(), (doc) => {
      const keyInfo = first(doc, DSIG, 'KeyInfo');
      while (keyInfo.firstChild) keyInfo.removeChild(keyInfo.firstChild);
      const keyValue = doc.createElementNS(DSIG, 'ds:KeyValue');
      keyValue.appendChild(doc.createElementNS(DSIG, 'ds:ECKeyValue'));
      keyInfo.appendChild(keyValue);
    });
    expect(await codeOf(check(attacked))).toBe('XML_KEY_INFO_UNSUPPORTED');
  });

  it('hands the KeyInfo certificates to a resolver and uses only the key it returns', async () => {
    const seen: number[] = [];
    const pinned = trustPinnedCertificates([world.ec.seal.certificate]);
    const result = await check(sign(world.ec.seal, 'x509-data'), {
      trust: (ders, context) => {
        seen.push(ders.length);
        return pinned(ders, context);
      },
    });
    expect(seen).toEqual([2]);
    expect(result.chain).toEqual([world.ec.seal.certificate]);
  });
});

describe('signatures and algorithms', () => {
  it('refuses a message without a signature', async () => {
    const unsigned = edit(sign(), (doc) => {
      const signature = first(doc, DSIG, 'Signature');
      signature.parentNode?.removeChild(signature);
    });
    expect(await codeOf(check(unsigned))).toBe('XML_SIGNATURE_MISSING');
    expect(await codeOf(check(buildSoapEnvelope(payload())))).toBe('XML_SIGNATURE_MISSING');
  });

  it('refuses two signatures, wherever the second one is', async () => {
    const twice = edit(sign(), (doc) => {
      const signature = first(doc, DSIG, 'Signature');
      signature.parentNode?.appendChild(signature.cloneNode(true));
    });
    expect(await codeOf(check(twice))).toBe('XML_SIGNATURE_COUNT');
    const hidden = edit(sign(), (doc) => {
      first(doc, Q, 'Query').appendChild(first(doc, DSIG, 'Signature').cloneNode(true));
    });
    expect(await codeOf(check(hidden))).toBe('XML_SIGNATURE_COUNT');
  });

  it('refuses SHA-1 unless allowed', async () => {
    const unsigned = edit(sign(world.rsa.seal, 'x509-data'), (doc) => {
      const signature = first(doc, DSIG, 'Signature');
      signature.parentNode?.removeChild(signature);
    });
    const signed = signWithXmlCrypto(unsigned, {
      signer: world.rsa.seal,
      references: ["//*[local-name(.)='Body']", "//*[local-name(.)='Timestamp']"],
      location: "//*[local-name(.)='Security']",
      sha1: true,
    });
    const err = await check(signed).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'XML_ALGORITHM_FORBIDDEN' });
    await expect(check(signed, { allowSha1: true })).resolves.toBeTruthy();
  });

  it('refuses transforms other than enveloped-signature and exclusive c14n', async () => {
    const inclusive = edit(sign(), (doc) => {
      first(doc, DSIG, 'Transform').setAttribute(
        'Algorithm',
        'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
      );
    });
    expect(await codeOf(check(inclusive))).toBe('XML_TRANSFORM_FORBIDDEN');
    const xpath = edit(sign(), (doc) => {
      const transform = doc.createElementNS(DSIG, 'ds:Transform');
      transform.setAttribute('Algorithm', 'http://www.w3.org/TR/1999/REC-xpath-19991116');
      const transforms = first(doc, DSIG, 'Transforms');
      transforms.insertBefore(transform, transforms.firstChild);
    });
    expect(await codeOf(check(xpath))).toBe('XML_TRANSFORM_FORBIDDEN');
    const none = edit(sign(), (doc) => {
      const transforms = first(doc, DSIG, 'Transforms');
      transforms.parentNode?.removeChild(transforms);
    });
    expect(await codeOf(check(none))).toBe('XML_TRANSFORM_FORBIDDEN');
  });

  it('refuses a SignedInfo canonicalised otherwise than by exclusive c14n', async () => {
    const attacked = edit(sign(), (doc) => {
      first(doc, DSIG, 'CanonicalizationMethod').setAttribute(
        'Algorithm',
        'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
      );
    });
    expect(await codeOf(check(attacked))).toBe('XML_ALGORITHM_FORBIDDEN');
  });

  it('refuses a second SignedInfo', async () => {
    const attacked = edit(sign(), (doc) => {
      const signedInfo = first(doc, DSIG, 'SignedInfo');
      signedInfo.parentNode?.insertBefore(signedInfo.cloneNode(true), signedInfo);
    });
    expect(await codeOf(check(attacked))).toBe('XML_SIGNATURE_MALFORMED');
  });

  it('refuses a message over the size limit before parsing it', async () => {
    const signed = sign();
    expect(await codeOf(check(signed, { maxBytes: 2048 }))).toBe('XML_TOO_LARGE');
  });

  it('refuses a DOCTYPE in a SOAP message', async () => {
    const attacked = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>${sign()}`;
    expect(await codeOf(check(attacked))).toBe('XML_DOCTYPE_FORBIDDEN');
  });
});
