// Path validation on certificates generated at run time: algorithms, refusals, revocation modes.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../src/pki/certificate.js';
import type { Crl } from '../src/pki/crl.js';
import {
  validateCertificatePath,
  type PathValidationOptions,
  type RevocationChecker,
} from '../src/pki/validate-path.js';
import { SecurityError } from '../src/errors.js';
import {
  issueTestCert,
  issueTestCrl,
  unknownExtension,
  type TestIssued,
} from './helpers/pki-test-issuer.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

let root: TestIssued;
let ca: TestIssued;
let leaf: TestIssued;
let rootCrl: Crl;
let caCrl: Crl;

beforeAll(async () => {
  root = await issueTestCert({ subject: 'Test Root', ca: true, keyType: 'ec' });
  ca = await issueTestCert({ subject: 'Test CA', issuer: root, ca: true, keyType: 'rsa-pss' });
  leaf = await issueTestCert({
    subject: 'Test Leaf',
    issuer: ca,
    keyType: 'rsa',
    keyUsage: ['digitalSignature'],
    extKeyUsage: [CLIENT_AUTH],
  });
  rootCrl = (await issueTestCrl({ issuer: root })).crl;
  caCrl = (await issueTestCrl({ issuer: ca })).crl;
});

const base = (): PathValidationOptions => ({
  trustAnchors: [root.cert],
  intermediates: [ca.cert],
  crls: [rootCrl, caCrl],
});

async function refusal(cert: Certificate, options: PathValidationOptions): Promise<SecurityError> {
  const err = await validateCertificatePath(cert, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecurityError);
  return err as SecurityError;
}

describe('validateCertificatePath', () => {
  it('validates ECDSA, RSA-PSS and RSA PKCS#1 signatures along a path, leaf first', async () => {
    const path = await validateCertificatePath(leaf.cert, base());
    expect(path.chain.map((c) => c.subject.text)).toEqual([
      'CN=Test Leaf',
      'CN=Test CA',
      'CN=Test Root',
    ]);
    expect(path.anchor).toBe(root.cert);
    expect(path.policies).toEqual([]);
    expect(path.validUntil.getTime()).toBeLessThanOrEqual(leaf.cert.notAfter.getTime());
    expect(ca.cert.raw.signatureAlgorithm.algorithmId).toBe('1.2.840.10045.4.3.2');
    expect(leaf.cert.raw.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.10');
  });

  it('refuses a leaf with no path to an anchor', async () => {
    const other = await issueTestCert({ subject: 'Other Root', ca: true });
    const err = await refusal(leaf.cert, { ...base(), trustAnchors: [other.cert] });
    expect(err.code).toBe('PKI_PATH_UNTRUSTED');
  });

  it('refuses a certificate signed by another key of the same name', async () => {
    const impostor = await issueTestCert({ subject: 'Test CA', ca: true, issuer: root });
    const forged = await issueTestCert({ subject: 'Forged', issuer: impostor });
    const err = await refusal(forged.cert, { ...base(), intermediates: [ca.cert] });
    expect(err.code).toBe('PKI_SIGNATURE_INVALID');
    expect(err.context.position).toBe(0);
    expect(err.context.fingerprint).toBe(forged.cert.fingerprintSha256);
  });

  it('backtracks over issuers with the same name to the one whose key signed', async () => {
    const impostor = await issueTestCert({ subject: 'Test CA', ca: true, issuer: root });
    const path = await validateCertificatePath(leaf.cert, {
      ...base(),
      intermediates: [impostor.cert, ca.cert],
    });
    expect(path.chain[1]).toBe(ca.cert);
  });

  it('refuses expired and not yet valid certificates at the validation time', async () => {
    const expired = await refusal(leaf.cert, {
      ...base(),
      time: new Date(Date.now() + 2 * 86_400_000),
    });
    expect(expired.code).toBe('PKI_CERT_EXPIRED');
    const early = await refusal(leaf.cert, {
      ...base(),
      time: new Date(Date.now() - 2 * 3_600_000),
    });
    expect(early.code).toBe('PKI_CERT_NOT_YET_VALID');
  });

  it('refuses SHA-1 signatures unless allowed', async () => {
    const sha1 = await issueTestCert({ subject: 'Old Leaf', issuer: root, hash: 'SHA-1' });
    expect(sha1.cert.raw.signatureAlgorithm.algorithmId).toBe('1.2.840.10045.4.1');
    expect((await refusal(sha1.cert, base())).code).toBe('PKI_ALGORITHM_UNSUPPORTED');
    await expect(
      validateCertificatePath(sha1.cert, { ...base(), allowSha1Signatures: true }),
    ).resolves.toBeDefined();
  });

  it('checks the key usage and extended key usage the caller requires of the leaf', async () => {
    await expect(
      validateCertificatePath(leaf.cert, {
        ...base(),
        requiredKeyUsage: ['digitalSignature'],
        requiredExtendedKeyUsage: [CLIENT_AUTH],
      }),
    ).resolves.toBeDefined();
    const ku = await refusal(leaf.cert, { ...base(), requiredKeyUsage: ['keyAgreement'] });
    expect(ku.code).toBe('PKI_KEY_USAGE');
    const eku = await refusal(leaf.cert, { ...base(), requiredExtendedKeyUsage: [SERVER_AUTH] });
    expect(eku.code).toBe('PKI_EXTENDED_KEY_USAGE');
  });

  it('refuses an issuer that is not a CA and an unknown critical extension', async () => {
    const notCa = await issueTestCert({ subject: 'Not A CA', issuer: ca, ca: false });
    const below = await issueTestCert({ subject: 'Below', issuer: notCa });
    const bc = await refusal(below.cert, { ...base(), intermediates: [ca.cert, notCa.cert] });
    expect(bc.code).toBe('PKI_BASIC_CONSTRAINTS');

    const odd = await issueTestCert({
      subject: 'Odd',
      issuer: ca,
      extensions: [unknownExtension(true)],
    });
    expect((await refusal(odd.cert, base())).code).toBe('PKI_UNKNOWN_CRITICAL_EXTENSION');
  });

  it('refuses a revoked certificate and names the reason', async () => {
    const revoked = await issueTestCrl({
      issuer: ca,
      revoked: [{ cert: leaf.cert, reasonCode: 1 }],
    });
    const err = await refusal(leaf.cert, { ...base(), crls: [rootCrl, revoked.crl] });
    expect(err.code).toBe('PKI_CERT_REVOKED');
    expect(err.context).toMatchObject({ position: 0, reason: 'keyCompromise', source: 'crl' });
  });

  it('applies the revocation mode when no CRL answers', async () => {
    const noCaCrl = { ...base(), crls: [rootCrl] };
    const required = await refusal(leaf.cert, noCaCrl);
    expect(required.code).toBe('PKI_REVOCATION_UNKNOWN');
    expect(required.context.position).toBe(0);
    await expect(
      validateCertificatePath(leaf.cert, { ...noCaCrl, revocation: { mode: 'prefer' } }),
    ).resolves.toBeDefined();
    await expect(
      validateCertificatePath(leaf.cert, { ...base(), crls: [], revocation: { mode: 'off' } }),
    ).resolves.toBeDefined();
  });

  it('gives the reason a CRL was unusable as the cause', async () => {
    const forged = await issueTestCrl({ issuer: ca, signWith: root.keys });
    const err = await refusal(leaf.cert, { ...base(), crls: [rootCrl, forged.crl] });
    expect(err.code).toBe('PKI_REVOCATION_UNKNOWN');
    expect((err.cause as SecurityError).code).toBe('PKI_CRL_INVALID');
    expect((err.cause as SecurityError).context.reason).toBe('signature-or-signer');

    const stale = await issueTestCrl({
      issuer: ca,
      thisUpdate: new Date(Date.now() - 3 * 86_400_000),
      nextUpdate: new Date(Date.now() - 86_400_000),
    });
    const old = await refusal(leaf.cert, { ...base(), crls: [rootCrl, stale.crl] });
    expect((old.cause as SecurityError).context.reason).toBe('stale');
  });

  it('consults revocation checkers after the CRLs, in order', async () => {
    const seen: string[] = [];
    const checker = (status: 'good' | 'revoked' | 'unknown'): RevocationChecker => ({
      async check(cert, issuer, { time }) {
        expect(time).toBeInstanceOf(Date);
        seen.push(`${status}:${cert.subject.text}<${issuer.subject.text}`);
        return {
          status,
          source: 'ocsp',
          ...(status === 'revoked' ? { reason: 'superseded' } : {}),
        };
      },
    });
    const options = { ...base(), crls: [rootCrl] };
    await expect(
      validateCertificatePath(leaf.cert, {
        ...options,
        revocation: { checkers: [checker('unknown'), checker('good')] },
      }),
    ).resolves.toBeDefined();
    expect(seen).toEqual(['unknown:CN=Test Leaf<CN=Test CA', 'good:CN=Test Leaf<CN=Test CA']);

    const err = await refusal(leaf.cert, {
      ...options,
      revocation: { checkers: [checker('revoked')] },
    });
    expect(err.context).toMatchObject({ reason: 'superseded', source: 'ocsp' });

    const failing: RevocationChecker = {
      check: () => Promise.reject(new Error('responder down')),
    };
    const unknown = await refusal(leaf.cert, { ...options, revocation: { checkers: [failing] } });
    expect(unknown.code).toBe('PKI_REVOCATION_UNKNOWN');
    expect((unknown.cause as Error).message).toBe('responder down');
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await refusal(leaf.cert, { ...base(), signal: controller.signal });
    expect(err.code).toBe('PKI_VALIDATION_ABORTED');
  });

  it('chains names per RFC 5280 7.1 (case, white space, PrintableString/UTF8String)', async () => {
    const issuer = await issueTestCert({
      subject: [[['2.5.4.6', 'SI', 'printable']], [['2.5.4.10', 'Test  Org', 'printable']]],
      ca: true,
    });
    const child = await issueTestCert({ subject: 'Child', issuer });
    // Re-issue with the issuer name written differently: UTF8String, other case and spacing.
    const spelled = await issueTestCert({
      subject: [[['2.5.4.6', 'si', 'utf8']], [['2.5.4.10', ' test org ', 'utf8']]],
      ca: true,
      keys: issuer.keys,
    });
    const path = await validateCertificatePath(child.cert, {
      trustAnchors: [spelled.cert],
      revocation: { mode: 'off' },
    });
    expect(path.anchor).toBe(spelled.cert);
  });
});
