// CertificateValidator: cached chains and their expiry, and the CRL cache on its own.

import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import { CertificateValidator } from '../src/pki/validate-path.js';
import { CrlCache } from '../src/pki/crl-cache.js';
import type { Crl } from '../src/pki/crl.js';
import { SecurityError } from '../src/errors.js';
import { issueTestCert, issueTestCrl, type TestIssued } from './helpers/pki-test-issuer.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const t0 = new Date(Math.floor(Date.now() / DAY) * DAY + 6 * 3_600_000);

let root: TestIssued;
let ca: TestIssued;
let leaf: TestIssued;
let rootCrl: Crl;
let caCrl: Crl;

beforeAll(async () => {
  root = await issueTestCert({
    subject: 'Cache Root',
    ca: true,
    notBefore: new Date(t0.getTime() - DAY),
  });
  ca = await issueTestCert({
    subject: 'Cache CA',
    issuer: root,
    ca: true,
    notBefore: new Date(t0.getTime() - DAY),
  });
  leaf = await issueTestCert({
    subject: 'Cache Leaf',
    issuer: ca,
    keyUsage: ['digitalSignature'],
    notBefore: new Date(t0.getTime() - MINUTE),
    notAfter: new Date(t0.getTime() + 30 * MINUTE),
  });
  rootCrl = (await issueTestCrl({ issuer: root, thisUpdate: new Date(t0.getTime() - DAY) })).crl;
  caCrl = (
    await issueTestCrl({
      issuer: ca,
      thisUpdate: new Date(t0.getTime() - MINUTE),
      nextUpdate: new Date(t0.getTime() + 20 * MINUTE),
    })
  ).crl;
});

function validator(clock = new ManualClock(t0)): CertificateValidator {
  // A one-day time bucket, so that expiry, not the bucket, must stop stale hits.
  return new CertificateValidator({
    trustAnchors: [root.cert],
    crls: [rootCrl, caCrl],
    clock,
    chainCache: { bucketMs: DAY },
  });
}

async function refusal(promise: Promise<unknown>): Promise<SecurityError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecurityError);
  return err as SecurityError;
}

describe('CertificateValidator', () => {
  it('validates a presented chain given as DER and caches the result', async () => {
    const v = validator();
    const first = await v.validate([leaf.cert.der, ca.cert.der]);
    expect(first.chain.map((c) => c.subject.text)).toEqual([
      'CN=Cache Leaf',
      'CN=Cache CA',
      'CN=Cache Root',
    ]);
    // The cached result is bounded by the CRL's nextUpdate, which comes before the leaf's notAfter.
    expect(first.validUntil).toEqual(caCrl.nextUpdate);
    expect(await v.validate([leaf.cert.der, ca.cert.der])).toBe(first);
  });

  it('never serves a cached chain past the CRL nextUpdate or the leaf notAfter', async () => {
    const clock = new ManualClock(t0);
    const v = validator(clock);
    await v.validate([leaf.cert, ca.cert]);

    clock.advance(25 * MINUTE);
    const stale = await refusal(v.validate([leaf.cert, ca.cert]));
    expect(stale.code).toBe('PKI_REVOCATION_UNKNOWN');

    const expired = await refusal(
      v.validate([leaf.cert, ca.cert], { time: new Date(t0.getTime() + 40 * MINUTE) }),
    );
    expect(expired.code).toBe('PKI_CERT_EXPIRED');
  });

  it('keys the cache by the options', async () => {
    const v = validator();
    await v.validate([leaf.cert, ca.cert]);
    const err = await refusal(
      v.validate([leaf.cert, ca.cert], { requiredKeyUsage: ['keyAgreement'] }),
    );
    expect(err.code).toBe('PKI_KEY_USAGE');
  });

  it('drops cached chains when a CRL is added', async () => {
    const v = validator();
    await v.validate([leaf.cert, ca.cert]);
    const { crl } = await issueTestCrl({
      issuer: ca,
      thisUpdate: t0,
      nextUpdate: new Date(t0.getTime() + DAY),
      revoked: [{ cert: leaf.cert, date: new Date(t0.getTime() - MINUTE) }],
    });
    v.addCrl(crl);
    expect((await refusal(v.validate([leaf.cert, ca.cert]))).code).toBe('PKI_CERT_REVOKED');
  });

  it('refuses an empty chain and a validator without anchors', async () => {
    expect((await refusal(validator().validate([]))).code).toBe('PKI_PATH_UNTRUSTED');
    expect(() => new CertificateValidator({ trustAnchors: [] })).toThrow(SecurityError);
  });
});

describe('CrlCache', () => {
  it('keeps a CRL until its nextUpdate and prefers the newer of one scope', async () => {
    const clock = new ManualClock(t0);
    const cache = new CrlCache({ clock });
    const older = (
      await issueTestCrl({
        issuer: ca,
        thisUpdate: new Date(t0.getTime() - 2 * MINUTE),
        nextUpdate: new Date(t0.getTime() + 10 * MINUTE),
      })
    ).crl;
    const newer = (
      await issueTestCrl({
        issuer: ca,
        thisUpdate: new Date(t0.getTime() - MINUTE),
        nextUpdate: new Date(t0.getTime() + 5 * MINUTE),
      })
    ).crl;

    cache.add(older);
    cache.add(newer);
    cache.add(older);
    expect(cache.get(newer.issuerName)).toEqual([newer]);
    expect(cache.get(rootCrl.issuerName)).toEqual([]);

    clock.advance(6 * MINUTE);
    expect(cache.get(newer.issuerName)).toEqual([]);
    cache.add(newer);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries CRLs, dropping the one expiring first', () => {
    const cache = new CrlCache({ clock: new ManualClock(t0), maxEntries: 1 });
    cache.add(caCrl);
    cache.add(rootCrl);
    expect(cache.size).toBe(1);
    expect(cache.get(rootCrl.issuerName)).toEqual([rootCrl]);
  });
});
