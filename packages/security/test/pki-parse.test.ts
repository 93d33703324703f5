// Parsing CRLs and certificates: PEM/DER, garbage, truncation, wrong types; multi-valued names.

import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../src/pki/certificate.js';
import { parseCrl, parseCrls } from '../src/pki/crl.js';
import { writePem } from '../src/pki/pem.js';
import { SecurityError } from '../src/errors.js';
import {
  issueTestCert,
  issueTestCrl,
  testName,
  type TestIssued,
} from './helpers/pki-test-issuer.js';
import { nameFromPkijs } from '../src/pki/names.js';
import { comparableName, namesEqual } from '../src/pki/name-match.js';

let ca: TestIssued;
let leaf: TestIssued;
let crlDer: Uint8Array;

beforeAll(async () => {
  ca = await issueTestCert({ subject: 'Parse CA', ca: true });
  leaf = await issueTestCert({ subject: 'Parse Leaf', issuer: ca });
  crlDer = (
    await issueTestCrl({
      issuer: ca,
      thisUpdate: new Date('2026-01-01T00:00:00Z'),
      nextUpdate: new Date('2026-01-08T00:00:00Z'),
      revoked: [{ cert: leaf.cert, date: new Date('2025-12-31T00:00:00Z'), reasonCode: 5 }],
    })
  ).der;
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SecurityError);
    return (err as SecurityError).code;
  }
  throw new Error('expected a refusal');
}

describe('parseCrl', () => {
  it('reads DER and PEM into the same CRL', () => {
    const fromDer = parseCrl(crlDer);
    const fromPem = parseCrl(writePem('X509 CRL', crlDer));
    expect(fromPem.fingerprintSha256).toBe(fromDer.fingerprintSha256);
    expect(fromDer.issuer.text).toBe('CN=Parse CA');
    expect(fromDer.thisUpdate.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(fromDer.nextUpdate?.toISOString()).toBe('2026-01-08T00:00:00.000Z');
    expect(fromDer.isDelta).toBe(false);
    expect(fromDer.entries.get(leaf.cert.serialNumber)).toEqual({
      serialNumber: leaf.cert.serialNumber,
      revocationDate: new Date('2025-12-31T00:00:00Z'),
      reason: 'cessationOfOperation',
      unknownCritical: [],
    });
    expect(parseCrls(writePem('X509 CRL', crlDer) + writePem('X509 CRL', crlDer))).toHaveLength(2);
  });

  it('refuses garbage, truncated DER and trailing bytes', () => {
    expect(codeOf(() => parseCrl(new Uint8Array([1, 2, 3, 4])))).toBe('PKI_CRL_MALFORMED');
    expect(codeOf(() => parseCrl(crlDer.subarray(0, crlDer.length - 10)))).toBe(
      'PKI_CRL_MALFORMED',
    );
    const trailing = new Uint8Array([...crlDer, 0]);
    expect(codeOf(() => parseCrl(trailing))).toBe('PKI_CRL_MALFORMED');
    expect(codeOf(() => parseCrl('-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----'))).toBe(
      'PKI_PEM_MALFORMED',
    );
  });

  it('refuses a certificate given as a CRL, and a CRL given as a certificate', () => {
    expect(codeOf(() => parseCrl(leaf.cert.der))).toBe('PKI_WRONG_TYPE');
    expect(codeOf(() => parseCrl(writePem('CERTIFICATE', leaf.cert.der)))).toBe('PKI_WRONG_TYPE');
    expect(codeOf(() => parseCertificate(crlDer))).toBe('PKI_WRONG_TYPE');
    expect(codeOf(() => parseCertificate(leaf.cert.der.subarray(0, 50)))).toBe(
      'PKI_CERT_MALFORMED',
    );
  });
});

describe('distinguished names', () => {
  it('keeps multi-valued RDNs together, in text and for comparison', () => {
    const name = testName([
      [['2.5.4.6', 'SI', 'printable']],
      [
        ['2.5.4.10', 'Org'],
        ['2.5.4.11', 'Unit'],
      ],
      [['2.5.4.3', 'Person']],
    ]);
    const dn = nameFromPkijs(name);
    expect(dn.rdns.map((rdn) => rdn.map((a) => a.type))).toEqual([['C'], ['O', 'OU'], ['CN']]);
    expect(dn.text).toBe('CN=Person,O=Org+OU=Unit,C=SI');

    // The attributes of one RDN are a set: their order does not matter; their grouping does.
    const reordered = testName([
      [['2.5.4.6', 'SI']],
      [
        ['2.5.4.11', 'unit'],
        ['2.5.4.10', 'ORG'],
      ],
      [['2.5.4.3', 'person']],
    ]);
    const split = testName([
      [['2.5.4.6', 'SI']],
      [['2.5.4.10', 'Org']],
      [['2.5.4.11', 'Unit']],
      [['2.5.4.3', 'Person']],
    ]);
    expect(namesEqual(comparableName(name), comparableName(reordered))).toBe(true);
    expect(namesEqual(comparableName(name), comparableName(split))).toBe(false);
  });
});
