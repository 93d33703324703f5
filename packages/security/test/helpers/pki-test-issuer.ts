// Test helper: issues certificates and CRLs at run time with pkijs over node:crypto's WebCrypto.

import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCertificate, type Certificate } from '../../src/pki/certificate.js';
import { parseCrl, type Crl } from '../../src/pki/crl.js';

const engine = new pkijs.CryptoEngine({
  name: 'pki-test',
  crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'],
});

/** Key algorithms of test certificates. */
export type TestKeyType = 'ec' | 'rsa' | 'rsa-pss';

/** A certificate with its key pair. */
export interface TestIssued {
  readonly cert: Certificate;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly keyType: TestKeyType;
}

/** One attribute of a test name: OID, value, and string type (UTF8String by default). */
export type TestAttribute = [oid: string, value: string, type?: 'printable' | 'utf8'];

/** What to put in a test certificate. */
export interface TestCertOptions {
  /** RDNs in order, each a set of attributes; or a common name. */
  subject: string | TestAttribute[][];
  /** The issuer; self-signed when absent. */
  issuer?: TestIssued;
  keyType?: TestKeyType;
  /** Reuse a key pair (a second certificate for the same key). */
  keys?: webcrypto.CryptoKeyPair;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: ('digitalSignature' | 'keyCertSign' | 'cRLSign' | 'keyAgreement')[];
  extKeyUsage?: string[];
  crlUrl?: string;
  notBefore?: Date;
  notAfter?: Date;
  hash?: 'SHA-1' | 'SHA-256';
  /** Extra extensions (e.g. an unknown critical one). */
  extensions?: pkijs.Extension[];
}

const BITS = { digitalSignature: 0, keyAgreement: 4, keyCertSign: 5, cRLSign: 6 } as const;

/** Builds a Name from RDN sets (multi-valued RDNs allowed). */
export function testName(subject: string | TestAttribute[][]): pkijs.RelativeDistinguishedNames {
  const rdns = typeof subject === 'string' ? [[['2.5.4.3', subject] as TestAttribute]] : subject;
  const der = new asn1js.Sequence({
    value: rdns.map(
      (set) =>
        new asn1js.Set({
          value: set.map(([oid, value, type]) => {
            const text =
              type === 'printable'
                ? new asn1js.PrintableString({ value })
                : new asn1js.Utf8String({ value });
            return new asn1js.Sequence({
              value: [new asn1js.ObjectIdentifier({ value: oid }), text],
            });
          }),
        }),
    ),
  }).toBER(false);
  return pkijs.RelativeDistinguishedNames.fromBER(der);
}

async function generateKeys(type: TestKeyType): Promise<webcrypto.CryptoKeyPair> {
  const rsa = { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const params =
    type === 'ec'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : type === 'rsa'
        ? { name: 'RSASSA-PKCS1-v1_5', ...rsa }
        : { name: 'RSA-PSS', ...rsa };
  return (await webcrypto.subtle.generateKey(params, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

function ext(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

function keyUsageBits(names: readonly (keyof typeof BITS)[]): asn1js.BitString {
  let mask = 0;
  for (const name of names) mask |= 0x80 >> BITS[name];
  return new asn1js.BitString({ valueHex: new Uint8Array([mask]).buffer, unusedBits: 0 });
}

/** Issues a certificate (self-signed without `issuer`). */
export async function issueTestCert(options: TestCertOptions): Promise<TestIssued> {
  const keyType = options.keyType ?? 'ec';
  const keys = options.keys ?? (await generateKeys(keyType));
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(8);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.subject = testName(options.subject);
  cert.issuer = options.issuer ? options.issuer.cert.raw.subject : cert.subject;
  cert.notBefore.value = options.notBefore ?? new Date(Date.now() - 3_600_000);
  cert.notAfter.value = options.notAfter ?? new Date(Date.now() + 86_400_000);
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, engine);

  const extensions: pkijs.Extension[] = [];
  if (options.ca !== undefined) {
    const fields: asn1js.AsnType[] = options.ca ? [new asn1js.Boolean({ value: true })] : [];
    if (options.pathLen !== undefined) fields.push(new asn1js.Integer({ value: options.pathLen }));
    extensions.push(ext('2.5.29.19', true, new asn1js.Sequence({ value: fields })));
  }
  const usage = options.keyUsage ?? (options.ca ? ['keyCertSign', 'cRLSign'] : undefined);
  if (usage) extensions.push(ext('2.5.29.15', true, keyUsageBits(usage)));
  if (options.extKeyUsage) {
    const oids = options.extKeyUsage.map((value) => new asn1js.ObjectIdentifier({ value }));
    extensions.push(ext('2.5.29.37', false, new asn1js.Sequence({ value: oids })));
  }
  if (options.crlUrl) extensions.push(ext('2.5.29.31', false, distributionPoints(options.crlUrl)));
  extensions.push(...(options.extensions ?? []));
  if (extensions.length > 0) cert.extensions = extensions;

  const signer = options.issuer?.keys.privateKey ?? keys.privateKey;
  await cert.sign(signer, options.hash ?? 'SHA-256', engine);
  return { cert: parseCertificate(new Uint8Array(cert.toSchema().toBER(false))), keys, keyType };
}

function distributionPoints(url: string): asn1js.Sequence {
  // DistributionPoint { distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } } }
  const uri = new asn1js.Primitive({
    idBlock: { tagClass: 3, tagNumber: 6 },
    valueHex: new TextEncoder().encode(url).buffer as ArrayBuffer,
  });
  const fullName = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [uri] });
  const dpName = new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [fullName],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [dpName] })] });
}

/** What to put in a test CRL. */
export interface TestCrlOptions {
  issuer: TestIssued;
  /** Sign with these keys instead of the issuer's (a forged CRL). */
  signWith?: webcrypto.CryptoKeyPair;
  revoked?: { cert: Certificate; date?: Date; reasonCode?: number }[];
  thisUpdate?: Date;
  nextUpdate?: Date | null;
}

/** Issues a CRL and returns its DER and parsed form. */
export async function issueTestCrl(
  options: TestCrlOptions,
): Promise<{ der: Uint8Array; crl: Crl }> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = options.issuer.cert.raw.subject;
  crl.thisUpdate = new pkijs.Time({
    type: 0,
    value: options.thisUpdate ?? new Date(Date.now() - 60_000),
  });
  if (options.nextUpdate !== null) {
    const next = options.nextUpdate ?? new Date(Date.now() + 86_400_000);
    crl.nextUpdate = new pkijs.Time({ type: 0, value: next });
  }
  if (options.revoked?.length) {
    crl.revokedCertificates = options.revoked.map((r) => {
      const entry = new pkijs.RevokedCertificate({
        userCertificate: new asn1js.Integer({ valueHex: Buffer.from(r.cert.serialNumber, 'hex') }),
        revocationDate: new pkijs.Time({
          type: 0,
          value: r.date ?? new Date(Date.now() - 120_000),
        }),
      });
      if (r.reasonCode !== undefined) {
        const reason = new asn1js.Enumerated({ value: r.reasonCode });
        entry.crlEntryExtensions = new pkijs.Extensions({
          extensions: [ext('2.5.29.21', false, reason)],
        });
      }
      return entry;
    });
  }
  const signer = options.signWith ?? options.issuer.keys;
  await crl.sign(signer.privateKey, 'SHA-256', engine);
  const der = new Uint8Array(crl.toSchema().toBER(false));
  return { der, crl: parseCrl(der) };
}

/** An extension with an OID nobody processes. */
export function unknownExtension(critical: boolean): pkijs.Extension {
  return ext('1.3.6.1.4.1.55555.1', critical, new asn1js.Null());
}
