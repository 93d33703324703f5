import { X509Certificate, createPublicKey, sign, verify, webcrypto } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTaxNumber } from '@interop-blocks/core';
import {
  createDevPki,
  SecurityError,
  writeDevPki,
  type DevIssued,
  type DevPki,
} from '../src/index.js';
import { parseCertificate, parseCertificates, type Certificate } from '../src/pki/certificate.js';
import { parseCrl, type Crl } from '../src/pki/crl.js';
import { validateCertificatePath, type PathValidationOptions } from '../src/pki/validate-path.js';

const engine = new pkijs.CryptoEngine({
  name: 'test',
  crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'],
});
const NOW = new Date('2026-06-01T10:00:00Z');

function ext(cert: Certificate, oid: string): pkijs.Extension | undefined {
  return cert.raw.extensions?.find((e) => e.extnID === oid);
}

function x509(item: DevIssued): X509Certificate {
  return new X509Certificate(item.certPem);
}

function keyUsageBits(cert: Certificate): number[] {
  const bits = ext(cert, '2.5.29.15')!.parsedValue as asn1js.BitString;
  const bytes = bits.valueBlock.valueHexView;
  const set: number[] = [];
  for (let i = 0; i < bytes.length * 8 - bits.valueBlock.unusedBits; i += 1) {
    if ((bytes[i >> 3]! >> (7 - (i & 7))) & 1) set.push(i);
  }
  return set;
}

function policies(cert: Certificate): string[] {
  const value = ext(cert, '2.5.29.32')?.parsedValue as pkijs.CertificatePolicies | undefined;
  return value?.certificatePolicies.map((p) => p.policyIdentifier) ?? [];
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
}

function keyIds(cert: Certificate): { ski?: string; aki?: string } {
  const ski = ext(cert, '2.5.29.14')?.parsedValue as asn1js.OctetString | undefined;
  const aki = ext(cert, '2.5.29.35')?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
  return {
    ski: ski && hex(ski.valueBlock.valueHexView),
    aki: aki?.keyIdentifier && hex(aki.keyIdentifier.valueBlock.valueHexView),
  };
}

describe('createDevPki (ECDSA P-256, defaults)', () => {
  let pki: DevPki;
  beforeAll(async () => {
    pki = await createDevPki({
      now: NOW,
      organisations: [
        { name: 'Centre for Social Work Example', id: 'centre' },
        { name: 'Tax Office Example', id: 'tax', dnsNames: ['tax.localhost'], ipAddresses: [] },
      ],
      crlBaseUrl: 'http://127.0.0.1:8080/crl/',
      ocspUrl: 'http://127.0.0.1:8081/ocsp',
      revoke: ['tax-client', 'intermediate'],
    });
  });

  it('chains every certificate to the root (node:crypto checkIssued and verify)', () => {
    const root = x509(pki.root);
    const intermediate = x509(pki.intermediate);
    expect(root.checkIssued(root)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(intermediate.checkIssued(root)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);

    const leaves = [...pki.issued.values()].filter(
      (i) => !['root', 'intermediate'].includes(i.name),
    );
    expect(leaves.map((l) => l.name).sort()).toEqual(
      ['centre-client', 'centre-server', 'person', 'seal', 'tax-client', 'tax-server'].sort(),
    );
    for (const leaf of leaves) {
      const cert = x509(leaf);
      expect(cert.checkIssued(intermediate)).toBe(true);
      expect(cert.verify(intermediate.publicKey)).toBe(true);
      expect(cert.verify(root.publicKey)).toBe(false);
    }
  });

  it('verifies the signatures with pkijs as well', async () => {
    const root = pki.root.certificate.raw;
    expect(await root.verify(root, engine)).toBe(true);
    expect(await pki.intermediate.certificate.raw.verify(root, engine)).toBe(true);
    const seal = pki.seal.certificate.raw;
    expect(await seal.verify(pki.intermediate.certificate.raw, engine)).toBe(true);
  });

  it('returns PEM that parses back to the same certificates, and leaf-first chains', () => {
    for (const item of pki.issued.values()) {
      expect(parseCertificate(item.certPem).fingerprintSha256).toBe(
        item.certificate.fingerprintSha256,
      );
    }
    const chain = parseCertificates(pki.organisation('centre').client.chainPem);
    expect(chain.map((c) => c.fingerprintSha256)).toEqual([
      pki.organisation('centre').client.certificate.fingerprintSha256,
      pki.intermediate.certificate.fingerprintSha256,
    ]);
    expect(parseCertificates(pki.chainPem)).toHaveLength(2);
    expect(pki.trustAnchorPem).toBe(pki.root.certPem);
  });

  it('gives the CA certificates critical basic constraints and CA key usage', () => {
    const rootBc = ext(pki.root.certificate, '2.5.29.19')!;
    expect(rootBc.critical).toBe(true);
    expect((rootBc.parsedValue as pkijs.BasicConstraints).cA).toBe(true);
    const bc = ext(pki.intermediate.certificate, '2.5.29.19')!;
    expect((bc.parsedValue as pkijs.BasicConstraints).cA).toBe(true);
    expect((bc.parsedValue as pkijs.BasicConstraints).pathLenConstraint).toBe(0);
    expect(ext(pki.intermediate.certificate, '2.5.29.15')!.critical).toBe(true);
    expect(keyUsageBits(pki.intermediate.certificate)).toEqual([5, 6]);
    expect(policies(pki.intermediate.certificate)).toEqual(['2.5.29.32.0']);
    expect(policies(pki.root.certificate)).toEqual([]);
  });

  it('links every certificate by subject and authority key identifiers', () => {
    const root = keyIds(pki.root.certificate);
    expect(root.ski).toMatch(/^[0-9a-f]{40}$/);
    expect(keyIds(pki.intermediate.certificate).aki).toBe(root.ski);
    const intermediate = keyIds(pki.intermediate.certificate).ski;
    for (const name of ['centre-server', 'centre-client', 'seal', 'person']) {
      const ids = keyIds(pki.issued.get(name)!.certificate);
      expect(ids.aki).toBe(intermediate);
      expect(ids.ski).not.toBe(intermediate);
    }
  });

  it('issues server certificates for localhost with serverAuth', () => {
    const server = pki.organisation('centre').server;
    const cert = x509(server);
    expect(cert.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.ca).toBe(false);
    expect(keyUsageBits(server.certificate)).toEqual([0]);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509(pki.organisation('tax').server).subjectAltName).toBe('DNS:tax.localhost');
  });

  it('issues client certificates that carry the organisation name and a VATSI identifier', () => {
    const org = pki.organisation('centre');
    const subject = org.client.certificate.subject;
    expect(subject.get('2.5.4.10')).toBe('Centre for Social Work Example');
    expect(subject.get('2.5.4.97')).toBe(org.organizationIdentifier);
    expect(org.organizationIdentifier).toBe(`VATSI-${org.taxNumber}`);
    expect(validateTaxNumber(org.taxNumber)).toBe(true);
    expect(pki.organisation('tax').taxNumber).not.toBe(org.taxNumber);
    expect(x509(org.client).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(policies(org.client.certificate)).toEqual(['2.999.1.1']);
  });

  it('issues a qualified-looking seal and personal certificate with QcStatements', () => {
    const seal = pki.seal.certificate;
    expect(seal.subject.get('2.5.4.97')).toBe(pki.organisations[0]!.organizationIdentifier);
    expect(policies(seal)).toEqual(['0.4.0.194112.1.3', '2.999.1.1']);
    expect(keyUsageBits(seal)).toEqual([0, 1]);
    const qc = ext(seal, '1.3.6.1.5.5.7.1.3')!;
    expect(qc.critical).toBe(false);
    const statements = (
      asn1js.fromBER(qc.extnValue.valueBlock.valueHexView).result as asn1js.Sequence
    ).valueBlock.value as asn1js.Sequence[];
    const ids = statements.map((s) =>
      (s.valueBlock.value[0] as asn1js.ObjectIdentifier).getValue(),
    );
    expect(ids).toEqual([
      '1.3.6.1.5.5.7.11.2',
      '0.4.0.1862.1.1',
      '0.4.0.1862.1.6',
      '0.4.0.1862.1.4',
      '0.4.0.1862.1.5',
    ]);
    const type = statements[2]!.valueBlock.value[1] as asn1js.Sequence;
    expect((type.valueBlock.value[0] as asn1js.ObjectIdentifier).getValue()).toBe(
      '0.4.0.1862.1.6.2',
    );

    const person = pki.person.certificate;
    expect(person.subject.get('2.5.4.5')).toMatch(/^PNOSI-\d{8}$/);
    expect(person.subject.get('2.5.4.42')).toBe('Testna');
    expect(person.subject.get('2.5.4.4')).toBe('Oseba');
    expect(policies(person)).toEqual(['0.4.0.194112.1.2', '2.999.1.1']);
    expect(keyUsageBits(person)).toEqual([1]);
  });

  it('puts CRL distribution points and the OCSP responder in the certificates', () => {
    const cdp = (cert: Certificate) => {
      const value = ext(cert, '2.5.29.31')?.parsedValue as pkijs.CRLDistributionPoints | undefined;
      const names = value?.distributionPoints[0]?.distributionPoint as
        pkijs.GeneralName[] | undefined;
      return names?.[0]?.value as string | undefined;
    };
    expect(cdp(pki.organisation('centre').client.certificate)).toBe(
      'http://127.0.0.1:8080/crl/intermediate.crl',
    );
    expect(cdp(pki.intermediate.certificate)).toBe('http://127.0.0.1:8080/crl/root.crl');
    expect(cdp(pki.root.certificate)).toBeUndefined();
    expect(x509(pki.seal).infoAccess).toContain('OCSP - URI:http://127.0.0.1:8081/ocsp');
  });

  it('signs CRLs that revoke exactly the named certificates', async () => {
    const crl = pkijs.CertificateRevocationList.fromBER(Uint8Array.from(pki.crl.der));
    expect(await crl.verify({ issuerCertificate: pki.intermediate.certificate.raw }, engine)).toBe(
      true,
    );
    const revoked = (crl.revokedCertificates ?? []).map((r) =>
      hex(r.userCertificate.valueBlock.valueHexView),
    );
    expect(revoked).toEqual([pki.organisation('tax').client.certificate.serialNumber]);
    expect(pki.crl.revokedSerialNumbers).toEqual(revoked);
    expect(crl.nextUpdate!.value.getTime()).toBe(NOW.getTime() + 7 * 86_400_000);

    const rootCrl = pkijs.CertificateRevocationList.fromBER(Uint8Array.from(pki.rootCrl.der));
    expect(await rootCrl.verify({ issuerCertificate: pki.root.certificate.raw }, engine)).toBe(
      true,
    );
    expect(pki.rootCrl.revokedSerialNumbers).toEqual([pki.intermediate.certificate.serialNumber]);
    expect(pki.crl.pem).toMatch(/^-----BEGIN X509 CRL-----\n/);
  });

  it('returns private keys that match the certificates', () => {
    for (const item of pki.issued.values()) {
      expect(item.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      const signature = sign('sha256', Buffer.from('data'), item.key);
      expect(verify('sha256', Buffer.from('data'), item.certificate.publicKey, signature)).toBe(
        true,
      );
      expect(item.key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    }
  });

  it('gives each PKI different CA names, so two PKIs never chain into each other', async () => {
    const other = await createDevPki({ now: NOW });
    expect(other.root.certificate.subject.text).not.toBe(pki.root.certificate.subject.text);
    expect(x509(other.intermediate).checkIssued(x509(pki.root))).toBe(false);
  });
});

describe('createDevPki options', () => {
  it('issues RSA 2048 certificates signed with PKCS#1 v1.5 and SHA-256 on request', async () => {
    const pki = await createDevPki({ keyAlgorithm: 'rsa-2048', now: NOW });
    for (const item of pki.issued.values()) {
      expect(item.certificate.raw.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.11');
      expect(item.key.asymmetricKeyType).toBe('rsa');
      expect(item.key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    }
    expect(keyUsageBits(pki.organisations[0]!.server.certificate)).toEqual([0, 2]);
    expect(x509(pki.seal).verify(x509(pki.intermediate).publicKey)).toBe(true);
  });

  it('makes expired and not-yet-valid end-entity certificates under valid CAs', async () => {
    const expired = await createDevPki({
      now: NOW,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2025-02-01T00:00:00Z'),
    });
    const client = expired.organisations[0]!.client.certificate;
    expect(client.notAfter.toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect(expired.intermediate.certificate.notBefore.getTime()).toBeLessThan(
      client.notBefore.getTime(),
    );
    expect(expired.intermediate.certificate.notAfter.getTime()).toBeGreaterThan(NOW.getTime());

    const future = await createDevPki({
      now: NOW,
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2060-01-01T00:00:00Z'),
    });
    const seal = future.seal.certificate;
    expect(seal.notBefore.getTime()).toBeGreaterThan(NOW.getTime());
    // RFC 5280 4.1.2.5: GeneralizedTime from 2050 on.
    expect(seal.raw.notAfter.type).toBe(pkijs.TimeType.GeneralizedTime);
    expect(seal.notAfter.toISOString()).toBe('2060-01-01T00:00:00.000Z');
  });

  it('issues extra certificates with chosen usage, issuer, validity and statements', async () => {
    const pki = await createDevPki({
      now: NOW,
      organisations: [{ name: 'Agency', id: 'agency' }],
      extras: [
        { name: 'no-eku', organisation: 'agency', keyUsage: ['keyAgreement'] },
        { name: 'code', extendedKeyUsage: ['codeSigning', '1.2.3.4'], keyUsage: null },
        { name: 'direct', issuer: 'root', extendedKeyUsage: ['clientAuth'] },
        { name: 'rogue-ca', ca: true, pathLength: 1 },
        {
          name: 'web',
          qcStatements: { compliance: true, types: ['web'] },
          policies: ['0.4.0.194112.1.4'],
          dnsNames: ['web.localhost'],
          ipAddresses: ['::ffff:127.0.0.1'],
          notAfter: new Date('2026-05-01T00:00:00Z'),
        },
      ],
      revoke: ['direct', 'no-eku'],
    });
    const noEku = pki.extras['no-eku']!;
    expect(keyUsageBits(noEku.certificate)).toEqual([4]);
    expect(x509(noEku).keyUsage).toBeUndefined();
    expect(noEku.certificate.subject.get('2.5.4.97')).toBe(
      pki.organisation('agency').organizationIdentifier,
    );

    const code = pki.extras['code']!;
    expect(ext(code.certificate, '2.5.29.15')).toBeUndefined();
    expect(x509(code).keyUsage).toEqual(['1.3.6.1.5.5.7.3.3', '1.2.3.4']);

    const direct = pki.extras['direct']!;
    expect(x509(direct).checkIssued(x509(pki.root))).toBe(true);
    expect(parseCertificates(direct.chainPem)).toHaveLength(1);
    expect(pki.rootCrl.revokedSerialNumbers).toEqual([direct.certificate.serialNumber]);
    expect(pki.crl.revokedSerialNumbers).toEqual([noEku.certificate.serialNumber]);

    const rogue = pki.extras['rogue-ca']!;
    expect(x509(rogue).ca).toBe(true);
    expect(keyUsageBits(rogue.certificate)).toEqual([5, 6]);

    const web = x509(pki.extras['web']!);
    expect(web.subjectAltName).toBe('DNS:web.localhost, IP Address:0:0:0:0:0:FFFF:7F00:1');
    expect(pki.extras['web']!.certificate.notAfter.toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });

  it('refuses inconsistent options with DEVPKI_OPTIONS_INVALID', async () => {
    const cases = [
      { days: 0 },
      { notBefore: new Date('2027-01-01'), notAfter: new Date('2026-01-01') },
      { organisations: [] },
      { organisations: [{ name: 'A', taxNumber: '12345678' }] },
      { organisations: [{ name: 'A', id: 'Bad Id' }] },
      {
        organisations: [
          { name: 'A', id: 'a' },
          { name: 'B', id: 'a' },
        ],
      },
      { extras: [{ name: 'seal' }] },
      { extras: [{ name: 'x', extendedKeyUsage: ['not an oid'] }] },
      { extras: [{ name: 'x', ipAddresses: ['999.1.1.1'] }] },
      { crlBaseUrl: 'ftp://example/' },
      { keyAlgorithm: 'dsa' as never },
      { now: new Date('nonsense') },
    ];
    for (const options of cases) {
      await expect(createDevPki(options)).rejects.toMatchObject({ code: 'DEVPKI_OPTIONS_INVALID' });
    }
  });

  it('refuses to revoke or seal for something it did not issue, with DEVPKI_NAME_UNKNOWN', async () => {
    await expect(createDevPki({ revoke: ['nobody-client'] })).rejects.toMatchObject({
      code: 'DEVPKI_NAME_UNKNOWN',
    });
    await expect(createDevPki({ revoke: ['root'] })).rejects.toMatchObject({
      code: 'DEVPKI_NAME_UNKNOWN',
    });
    await expect(createDevPki({ sealOrganisation: 'nobody' })).rejects.toMatchObject({
      code: 'DEVPKI_NAME_UNKNOWN',
    });
    await expect(
      createDevPki({ extras: [{ name: 'x', organisation: 'nobody' }] }),
    ).rejects.toBeInstanceOf(SecurityError);
    const pki = await createDevPki();
    expect(() => pki.organisation('nobody')).toThrow(
      expect.objectContaining({ code: 'DEVPKI_NAME_UNKNOWN' }),
    );
  });
});

describe('development certificates in real mutual TLS', () => {
  let server: Server;
  let pki: DevPki;

  for (const keyAlgorithm of ['ecdsa-p256', 'rsa-2048'] as const) {
    describe(keyAlgorithm, () => {
      beforeAll(async () => {
        pki = await createDevPki({
          keyAlgorithm,
          organisations: [
            { name: 'Server Org', id: 'srv' },
            { name: 'Client Org', id: 'cli' },
          ],
        });
        const srv = pki.organisation('srv').server;
        server = createServer(
          {
            key: srv.keyPem,
            cert: srv.chainPem,
            ca: pki.trustAnchorPem,
            requestCert: true,
            rejectUnauthorized: true,
          },
          (req, res) => {
            const peer = (req.socket as TLSSocket).getPeerCertificate();
            res.end(JSON.stringify(peer.subject));
          },
        );
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
      });
      afterAll(async () => {
        server.close();
        await once(server, 'close');
      });

      it('completes a handshake both ways and shows the client organisation to the server', async () => {
        const client = pki.organisation('cli').client;
        const { port } = server.address() as AddressInfo;
        const body = await new Promise<string>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              servername: 'localhost',
              port,
              path: '/',
              key: client.keyPem,
              cert: client.chainPem,
              ca: pki.trustAnchorPem,
            },
            (res) => {
              let data = '';
              res.on('data', (chunk: Buffer) => (data += chunk.toString()));
              res.on('end', () => resolve(data));
            },
          );
          req.on('error', reject);
          req.end();
        });
        const subject = JSON.parse(body) as Record<string, string>;
        expect(subject['O']).toBe('Client Org');
        expect(subject['organizationIdentifier']).toBe(
          pki.organisation('cli').organizationIdentifier,
        );
      });
    });
  }
});

describe('writeDevPki', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-pki-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes certificates, chains, keys (0600), CRLs, a manifest and a development README', async () => {
    const pki = await createDevPki({
      organisations: [{ name: 'Agency', id: 'agency' }],
      revoke: ['seal'],
    });
    const target = join(dir, 'pki');
    const written = await writeDevPki(pki, target);
    const files = (await readdir(target)).sort();
    expect(files).toEqual(written.map((f) => f.path).sort());
    expect(files).toEqual(
      expect.arrayContaining([
        'README.txt',
        'chain.pem',
        'root-ca.pem',
        'root-ca.key.pem',
        'intermediate-ca.pem',
        'intermediate-ca.chain.pem',
        'agency-server.pem',
        'agency-server.key.pem',
        'agency-server.chain.pem',
        'agency-client.pem',
        'seal.pem',
        'person.key.pem',
        'intermediate.crl',
        'intermediate.crl.pem',
        'root.crl',
        'root.crl.pem',
        'pki.json',
      ]),
    );

    for (const file of written) {
      const mode = (await stat(join(target, file.path))).mode & 0o777;
      expect(mode, file.path).toBe(file.kind === 'key' ? 0o600 : 0o644);
    }
    expect(await readFile(join(target, 'README.txt'), 'utf8')).toMatch(/DEVELOPMENT ONLY/);

    const client = parseCertificate(await readFile(join(target, 'agency-client.pem'), 'utf8'));
    expect(client.fingerprintSha256).toBe(
      pki.organisation('agency').client.certificate.fingerprintSha256,
    );
    const key = await readFile(join(target, 'agency-client.key.pem'), 'utf8');
    const signature = sign('sha256', Buffer.from('x'), key);
    expect(verify('sha256', Buffer.from('x'), client.publicKey, signature)).toBe(true);
    expect(new Uint8Array(await readFile(join(target, 'intermediate.crl')))).toEqual(pki.crl.der);
    const manifest = JSON.parse(await readFile(join(target, 'pki.json'), 'utf8')) as {
      organisations: { id: string; organizationIdentifier: string }[];
      revoked: string[];
    };
    expect(manifest.organisations[0]!.organizationIdentifier).toBe(
      pki.organisation('agency').organizationIdentifier,
    );
    expect(manifest.revoked).toEqual([pki.seal.certificate.serialNumber]);
    expect(JSON.stringify(manifest)).not.toContain('PRIVATE KEY');
  });

  it('refuses a non-empty folder unless forced, and then overwrites with key modes reset', async () => {
    const target = join(dir, 'busy');
    const pki = await createDevPki();
    await writeDevPki(pki, target);
    await expect(writeDevPki(pki, target)).rejects.toMatchObject({
      code: 'DEVPKI_TARGET_NOT_EMPTY',
    });

    await writeFile(join(target, 'root-ca.key.pem'), 'old', { mode: 0o644 });
    await writeDevPki(pki, target, { force: true });
    expect((await stat(join(target, 'root-ca.key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(target, 'root-ca.key.pem'), 'utf8')).toBe(pki.root.keyPem);
  });

  it('reports an unwritable target with DEVPKI_WRITE_FAILED and no key material', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const pki = await createDevPki();
    const err = await writeDevPki(pki, join(file, 'sub')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DEVPKI_WRITE_FAILED' });
    expect(
      JSON.stringify({ m: (err as Error).message, c: (err as SecurityError).context }),
    ).not.toMatch(/PRIVATE KEY/);
    expect(createPublicKey(pki.root.key).type).toBe('public');
  });
});

describe('development chains under the RFC 5280 path validator', () => {
  let pki: DevPki;
  let crls: Crl[];
  const time = new Date(NOW.getTime() + 86_400_000);

  beforeAll(async () => {
    pki = await createDevPki({
      now: NOW,
      organisations: [{ name: 'Agency', id: 'agency' }],
      extras: [
        {
          name: 'old',
          extendedKeyUsage: ['clientAuth'],
          notBefore: new Date('2025-01-01'),
          notAfter: new Date('2025-02-01'),
        },
        { name: 'signer-only', extendedKeyUsage: ['codeSigning'] },
      ],
      revoke: ['seal'],
    });
    crls = [parseCrl(pki.crl.der), parseCrl(pki.rootCrl.pem)];
  });

  const options = (extra: Partial<PathValidationOptions> = {}): PathValidationOptions => ({
    trustAnchors: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    crls,
    time,
    ...extra,
  });

  it('validates server, client and personal chains with revocation by CRL', async () => {
    const client = pki.organisation('agency').client.certificate;
    const path = await validateCertificatePath(
      client,
      options({
        requiredExtendedKeyUsage: ['1.3.6.1.5.5.7.3.2'],
        requiredKeyUsage: ['digitalSignature'],
      }),
    );
    expect(path.chain.map((c) => c.fingerprintSha256)).toEqual([
      client.fingerprintSha256,
      pki.intermediate.certificate.fingerprintSha256,
      pki.root.certificate.fingerprintSha256,
    ]);
    await expect(
      validateCertificatePath(
        pki.organisation('agency').server.certificate,
        options({ requiredExtendedKeyUsage: ['1.3.6.1.5.5.7.3.1'] }),
      ),
    ).resolves.toBeDefined();
    const person = await validateCertificatePath(
      pki.person.certificate,
      options({ initialPolicySet: ['0.4.0.194112.1.2'], initialExplicitPolicy: true }),
    );
    expect(person.policies).toEqual(['0.4.0.194112.1.2']);
  });

  it('refuses the revoked seal, the expired extra and a wrong extended key usage', async () => {
    await expect(validateCertificatePath(pki.seal.certificate, options())).rejects.toMatchObject({
      code: 'PKI_CERT_REVOKED',
    });
    await expect(
      validateCertificatePath(pki.extras['old']!.certificate, options()),
    ).rejects.toMatchObject({
      code: 'PKI_CERT_EXPIRED',
    });
    await expect(
      validateCertificatePath(
        pki.extras['signer-only']!.certificate,
        options({ requiredExtendedKeyUsage: ['1.3.6.1.5.5.7.3.2'] }),
      ),
    ).rejects.toMatchObject({ code: 'PKI_EXTENDED_KEY_USAGE' });
  });

  it('does not chain a certificate of another development PKI', async () => {
    const other = await createDevPki({ now: NOW });
    await expect(
      validateCertificatePath(
        other.organisations[0]!.client.certificate,
        options({
          intermediates: [pki.intermediate.certificate, other.intermediate.certificate],
        }),
      ),
    ).rejects.toMatchObject({ code: 'PKI_PATH_UNTRUSTED' });
  });
});
