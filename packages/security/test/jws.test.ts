import { createSecretKey } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, newId, parseAnswer } from '@interop-blocks/core';
import {
  bindAnswerToRequest,
  JwsSigner,
  JwsVerifier,
  requestHash,
  verifyAnswerBinding,
  type JwsAlgorithm,
} from '../src/index.js';
import { createDevPki } from '../src/dev-pki/create-dev-pki.js';
import type { DevIssued } from '../src/dev-pki/issue-certificate.js';
import type { DevPki } from '../src/dev-pki/dev-pki-options.js';
import { parseCertificate, parseCertificates, type Certificate } from '../src/pki/certificate.js';
import { parseCrl } from '../src/pki/crl.js';
import { CertificateValidator } from '../src/pki/validate-path.js';
import { PrincipalDirectory } from '../src/qualified/principal-directory.js';

const DAY = 86_400_000;
const body = new TextEncoder().encode('{"subject":{"scheme":"tax","id":"12345679"},"n":1}');

let ec: DevPki;
let rsa: DevPki;
let unknown: DevPki;
let validator: CertificateValidator;

beforeAll(async () => {
  const now = Date.now();
  [ec, rsa, unknown] = await Promise.all([
    createDevPki({
      organisations: [{ name: 'Test Registry', id: 'registry' }],
      extras: [
        {
          name: 'expired-seal',
          organisation: 'registry',
          keyUsage: ['digitalSignature'],
          notBefore: new Date(now - 30 * DAY),
          notAfter: new Date(now - DAY),
        },
        { name: 'revoked-seal', organisation: 'registry', keyUsage: ['digitalSignature'] },
        { name: 'encryption-only', organisation: 'registry', keyUsage: ['keyAgreement'] },
      ],
      revoke: ['revoked-seal'],
    }),
    createDevPki({ keyAlgorithm: 'rsa-2048' }),
    createDevPki(),
  ]);
  validator = new CertificateValidator({
    trustAnchors: [parseCertificate(ec.root.certPem), parseCertificate(rsa.root.certPem)],
    crls: [ec.crl, ec.rootCrl, rsa.crl, rsa.rootCrl].map((c) => parseCrl(c.der)),
  });
});

const chainOf = (issued: DevIssued): Certificate[] => parseCertificates(issued.chainPem);
const signerFor = (issued: DevIssued, algorithm?: JwsAlgorithm, clock?: ManualClock) =>
  new JwsSigner({ key: issued.key, certificateChain: chainOf(issued), algorithm, clock });
const verifier = (extra: Partial<ConstructorParameters<typeof JwsVerifier>[0]> = {}) =>
  new JwsVerifier({ validator, ...extra });

/** Re-encodes a signature's protected header (the signature itself is left as it was). */
function withHeader(jws: string, change: (h: Record<string, unknown>) => void): string {
  const [h, , s] = jws.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>;
  change(header);
  return `${Buffer.from(JSON.stringify(header)).toString('base64url')}..${s}`;
}

describe('signed requests', () => {
  it.each([
    ['ES256', () => ec.seal],
    ['PS256', () => rsa.seal],
    ['RS256', () => rsa.seal],
  ] as const)('round-trips %s over the exact body and the request id', async (alg, issued) => {
    const requestId = newId();
    const jws = await signerFor(issued(), alg).signRequest(body, { requestId });
    expect(jws).toMatch(/^[\w-]+\.\.[\w-]+$/);

    const verified = await verifier().verifyRequest(jws, { body, requestId });
    expect(verified.algorithm).toBe(alg);
    expect(verified.header).toMatchObject({ alg, typ: 'interop-request+jws', rid: requestId });
    expect(verified.certificate.fingerprintSha256).toBe(issued().certificate.fingerprintSha256);
    expect(verified.chain).toHaveLength(3);
  });

  it('is a standard detached JWS (RFC 7515 Appendix F) that jose verifies', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(body, { requestId });
    const [h, , s] = jws.split('.');
    const attached = `${h}.${Buffer.from(body).toString('base64url')}.${s}`;
    const result = await compactVerify(attached, ec.seal.certificate.publicKey);
    expect(Buffer.from(result.payload)).toEqual(Buffer.from(body));
  });

  it('returns the principal of the signer from a principal directory', async () => {
    const directory = new PrincipalDirectory();
    const { organizationIdentifier, name } = ec.organisation('registry');
    directory.registerOrganisationIdentifier(organizationIdentifier, {
      kind: 'organisation',
      id: 'org:registry',
      name,
    });
    // resolve() throws QC_PRINCIPAL_UNKNOWN for strangers: that counts as no principal.
    const resolvePrincipal = (c: Certificate) => directory.resolve(c);
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(body, { requestId });
    const verified = await verifier({ resolvePrincipal }).verifyRequest(jws, { body, requestId });
    expect(verified.principal).toMatchObject({ kind: 'organisation', id: 'org:registry' });

    const other = await signerFor(rsa.seal, 'PS256').signRequest(body, { requestId });
    await expect(
      verifier({ resolvePrincipal }).verifyRequest(other, { body, requestId }),
    ).rejects.toMatchObject({ code: 'JWS_PRINCIPAL_UNKNOWN' });
  });

  it('refuses a body with one byte changed', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(body, { requestId });
    const tampered = Uint8Array.from(body);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    await expect(
      verifier().verifyRequest(jws, { body: tampered, requestId }),
    ).rejects.toMatchObject({ code: 'JWS_SIGNATURE_INVALID' });
  });

  it('refuses a signature presented with another request id', async () => {
    const jws = await signerFor(ec.seal).signRequest(body, { requestId: newId() });
    await expect(verifier().verifyRequest(jws, { body, requestId: newId() })).rejects.toMatchObject(
      {
        code: 'JWS_REQUEST_ID_MISMATCH',
      },
    );
  });

  it('refuses a changed rid even when the caller asks for the changed one', async () => {
    const jws = await signerFor(ec.seal).signRequest(body, { requestId: newId() });
    const other = newId();
    const forged = withHeader(jws, (h) => (h.rid = other));
    await expect(
      verifier().verifyRequest(forged, { body, requestId: other }),
    ).rejects.toMatchObject({
      code: 'JWS_SIGNATURE_INVALID',
    });
  });

  it('refuses alg none and HS256 before anything else', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(body, { requestId });
    // RFC 7518 3.6: an unsecured JWS has an empty signature part.
    const none = `${withHeader(jws, (h) => (h.alg = 'none')).split('.')[0]}..`;
    const noneWithSignature = withHeader(jws, (h) => (h.alg = 'none'));
    for (const token of [none, noneWithSignature]) {
      await expect(verifier().verifyRequest(token, { body, requestId })).rejects.toMatchObject({
        code: 'JWS_ALGORITHM_FORBIDDEN',
      });
    }

    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as {
      x5c: string[];
    };
    const hmac = await new CompactSign(body)
      .setProtectedHeader({ ...header, alg: 'HS256' })
      .sign(createSecretKey(Buffer.alloc(32, 7)));
    const [h, , s] = hmac.split('.');
    await expect(verifier().verifyRequest(`${h}..${s}`, { body, requestId })).rejects.toMatchObject(
      { code: 'JWS_ALGORITHM_FORBIDDEN' },
    );
  });

  it('refuses an algorithm that does not fit the x5c key, or is not allowed here', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(body, { requestId });
    const confused = withHeader(jws, (h) => (h.alg = 'RS256'));
    await expect(verifier().verifyRequest(confused, { body, requestId })).rejects.toMatchObject({
      code: 'JWS_KEY_MISMATCH',
    });
    const ps = await signerFor(rsa.seal, 'PS256').signRequest(body, { requestId });
    await expect(
      verifier({ algorithms: ['ES256'] }).verifyRequest(ps, { body, requestId }),
    ).rejects.toMatchObject({ code: 'JWS_ALGORITHM_FORBIDDEN' });
  });

  it('refuses a signer key that does not belong to the certificate or the algorithm', () => {
    expect(() => new JwsSigner({ key: ec.person.key, certificateChain: chainOf(ec.seal) })).toThrow(
      expect.objectContaining({ code: 'JWS_KEY_MISMATCH' }),
    );
    expect(() => signerFor(rsa.seal, 'ES256')).toThrow(
      expect.objectContaining({ code: 'JWS_KEY_MISMATCH' }),
    );
    expect(() => signerFor(ec.seal, 'HS256' as JwsAlgorithm)).toThrow(
      expect.objectContaining({ code: 'JWS_ALGORITHM_FORBIDDEN' }),
    );
  });

  it('refuses a missing x5c, extra header parameters and an answer signature', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(body, { requestId });
    const cases: [(h: Record<string, unknown>) => void, string][] = [
      [(h) => delete h.x5c, 'JWS_CERT_MISSING'],
      [(h) => (h.jwk = { kty: 'EC' }), 'JWS_HEADER_INVALID'],
      [(h) => (h.crit = ['b64']), 'JWS_HEADER_INVALID'],
      [(h) => (h.typ = 'interop-answer+jws'), 'JWS_HEADER_INVALID'],
      [(h) => (h.iat = '1700000000'), 'JWS_HEADER_INVALID'],
    ];
    for (const [change, code] of cases) {
      await expect(
        verifier().verifyRequest(withHeader(jws, change), { body, requestId }),
      ).rejects.toMatchObject({ code });
    }
  });

  it('refuses attached payloads and garbage as malformed', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(body, { requestId });
    const [h, , s] = jws.split('.');
    for (const bad of [
      `${h}.${Buffer.from(body).toString('base64url')}.${s}`,
      'abc',
      `${h}..${s}.x`,
      '!!..!!',
    ]) {
      await expect(verifier().verifyRequest(bad, { body, requestId })).rejects.toMatchObject({
        code: 'JWS_MALFORMED',
      });
    }
  });

  it('refuses signers: unknown CA, expired, revoked, not for signing', async () => {
    const cases: [DevIssued, string][] = [
      [unknown.seal, 'JWS_CERT_UNTRUSTED'],
      [ec.extras['expired-seal']!, 'JWS_CERT_EXPIRED'],
      [ec.extras['revoked-seal']!, 'JWS_CERT_REVOKED'],
      [ec.extras['encryption-only']!, 'JWS_CERT_KEY_USAGE'],
    ];
    for (const [issued, code] of cases) {
      const requestId = newId();
      const jws = await signerFor(issued).signRequest(body, { requestId });
      const error = await verifier()
        .verifyRequest(jws, { body, requestId })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code,
        cause: expect.objectContaining({ code: expect.stringMatching(/^PKI_/) }),
      });
    }
  });

  it('refuses a signing time in the future or older than maxAgeSeconds', async () => {
    const clock = new ManualClock(Date.now() + 10 * 60_000);
    const requestId = newId();
    const future = await signerFor(ec.seal, 'ES256', clock).signRequest(body, { requestId });
    await expect(verifier().verifyRequest(future, { body, requestId })).rejects.toMatchObject({
      code: 'JWS_TIME_INVALID',
    });

    clock.set(Date.now() - 10 * 60_000);
    const old = await signerFor(ec.seal, 'ES256', clock).signRequest(body, { requestId });
    await expect(verifier().verifyRequest(old, { body, requestId })).resolves.toBeDefined();
    await expect(
      verifier({ maxAgeSeconds: 300 }).verifyRequest(old, { body, requestId }),
    ).rejects.toMatchObject({ code: 'JWS_TIME_INVALID' });
  });
});

describe('signed answers', () => {
  const answerBody = new TextEncoder().encode('{"status":"not_found"}');

  it('binds an answer to the exact request it answers', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signAnswer(answerBody, { requestId, requestBody: body });
    const verified = await verifier().verifyAnswer(jws, {
      body: answerBody,
      requestId,
      requestBody: body,
    });
    expect(verified.header.rqh).toBe(requestHash(body));
    await expect(
      verifier().verifyAnswer(jws, { body: answerBody, requestId, requestHash: requestHash(body) }),
    ).resolves.toBeDefined();
  });

  it('refuses an answer presented for another request', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signAnswer(answerBody, { requestId, requestBody: body });
    const otherRequest = Uint8Array.from([...body, 0x20]);
    await expect(
      verifier().verifyAnswer(jws, { body: answerBody, requestId, requestBody: otherRequest }),
    ).rejects.toMatchObject({ code: 'JWS_REQUEST_HASH_MISMATCH' });
  });

  it('never accepts a request signature as an answer signature', async () => {
    const requestId = newId();
    const jws = await signerFor(ec.seal).signRequest(answerBody, { requestId });
    await expect(
      verifier().verifyAnswer(jws, { body: answerBody, requestId, requestBody: body }),
    ).rejects.toMatchObject({ code: 'JWS_HEADER_INVALID' });
  });

  it('binds an answer envelope by requestHash, as core’s schema expects', () => {
    const requestId = newId();
    const answer = bindAnswerToRequest(
      {
        requestId,
        answeredAt: new Date().toISOString(),
        source: 'furs.income',
        subject: { scheme: 'tax', id: '12345679' },
        status: 'not_found' as const,
      },
      body,
    );
    expect(parseAnswer(answer).requestHash).toBe(requestHash(body));
    expect(() => verifyAnswerBinding(answer, body, requestId)).not.toThrow();

    expect(() => verifyAnswerBinding(answer, Uint8Array.from([...body, 0x20]))).toThrow(
      expect.objectContaining({ code: 'JWS_REQUEST_HASH_MISMATCH' }),
    );
    expect(() => verifyAnswerBinding({ requestId }, body)).toThrow(
      expect.objectContaining({ code: 'JWS_REQUEST_HASH_MISMATCH' }),
    );
    expect(() => verifyAnswerBinding(answer, body, newId())).toThrow(
      expect.objectContaining({ code: 'JWS_REQUEST_ID_MISMATCH' }),
    );
  });
});
