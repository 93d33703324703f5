// CRL fetching over HTTP from a real loopback server, and the CRL cache in front of it.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import { parseCrl } from '../src/pki/crl.js';
import { CrlCache } from '../src/pki/crl-cache.js';
import { fetchCrl } from '../src/pki/crl-fetch.js';
import { validateCertificatePath, type PathValidationOptions } from '../src/pki/validate-path.js';
import { SecurityError } from '../src/errors.js';
import { issueTestCert, issueTestCrl, type TestIssued } from './helpers/pki-test-issuer.js';

const HOUR = 3_600_000;
let server: Server;
let baseUrl: string;
let requests: string[] = [];
let reply: { status: number; body: Uint8Array } = { status: 404, body: new Uint8Array() };

let root: TestIssued;
let ca: TestIssued;
let leaf: TestIssued;
let goodCrl: Uint8Array;
let rootCrlDer: Uint8Array;
const now = new Date();

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(reply.status, { 'content-type': 'application/pkix-crl' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  root = await issueTestCert({ subject: 'Fetch Root', ca: true });
  ca = await issueTestCert({ subject: 'Fetch CA', issuer: root, ca: true });
  leaf = await issueTestCert({ subject: 'Fetch Leaf', issuer: ca, crlUrl: `${baseUrl}/ca.crl` });
  goodCrl = (await issueTestCrl({ issuer: ca, nextUpdate: new Date(now.getTime() + 2 * HOUR) }))
    .der;
  rootCrlDer = (await issueTestCrl({ issuer: root })).der;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  requests = [];
  reply = { status: 200, body: goodCrl };
});

async function options(extra: Partial<PathValidationOptions> = {}): Promise<PathValidationOptions> {
  return {
    trustAnchors: [root.cert],
    intermediates: [ca.cert],
    crls: [parseCrl(rootCrlDer)],
    time: now,
    ...extra,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<SecurityError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecurityError);
  return err as SecurityError;
}

describe('CRL fetching', () => {
  it('does not fetch unless the caller allows it', async () => {
    const err = await codeOf(validateCertificatePath(leaf.cert, await options()));
    expect(err.code).toBe('PKI_REVOCATION_UNKNOWN');
    expect(requests).toEqual([]);
  });

  it('fetches from the distribution point and caches the CRL until nextUpdate', async () => {
    const clock = new ManualClock(now);
    const crlCache = new CrlCache({ clock });
    const opts = await options({ revocation: { fetchCrls: true, crlCache } });

    await validateCertificatePath(leaf.cert, opts);
    await validateCertificatePath(leaf.cert, opts);
    expect(requests).toEqual(['/ca.crl']);
    expect(crlCache.size).toBe(1);

    // Past nextUpdate the cached CRL is dropped and fetched again.
    clock.advance(3 * HOUR);
    expect(crlCache.size).toBe(0);
    reply = {
      status: 200,
      body: (await issueTestCrl({ issuer: ca, nextUpdate: new Date(now.getTime() + 9 * HOUR) }))
        .der,
    };
    await validateCertificatePath(leaf.cert, { ...opts, time: new Date(now.getTime() + 3 * HOUR) });
    expect(requests).toEqual(['/ca.crl', '/ca.crl']);
  });

  it('uses an injected undici dispatcher', async () => {
    const agent = new Agent();
    let connections = 0;
    agent.on('connect', () => connections++);
    await validateCertificatePath(
      leaf.cert,
      await options({ revocation: { fetchCrls: { dispatcher: agent } } }),
    );
    expect(connections).toBe(1);
    await agent.close();
  });

  it('uses an injected fetch function', async () => {
    const urls: string[] = [];
    const fetch = (url: string, init: { signal?: AbortSignal }) => {
      urls.push(url);
      return undiciFetch(url, init);
    };
    await validateCertificatePath(
      leaf.cert,
      await options({ revocation: { fetchCrls: { fetch } } }),
    );
    expect(urls).toEqual([`${baseUrl}/ca.crl`]);
  });

  it('reports a failed fetch as the cause of an unknown status', async () => {
    reply = { status: 500, body: new Uint8Array() };
    const err = await codeOf(
      validateCertificatePath(leaf.cert, await options({ revocation: { fetchCrls: true } })),
    );
    expect(err.code).toBe('PKI_REVOCATION_UNKNOWN');
    expect((err.cause as SecurityError).code).toBe('PKI_CRL_FETCH_FAILED');
    expect((err.cause as SecurityError).context.status).toBe(500);

    reply = { status: 200, body: new TextEncoder().encode('not a crl') };
    const garbage = await codeOf(
      validateCertificatePath(leaf.cert, await options({ revocation: { fetchCrls: true } })),
    );
    expect((garbage.cause as SecurityError).code).toBe('PKI_CRL_MALFORMED');
  });

  it('keeps a fetched CRL with a bad signature out of the cache', async () => {
    reply = { status: 200, body: (await issueTestCrl({ issuer: ca, signWith: root.keys })).der };
    const crlCache = new CrlCache();
    const err = await codeOf(
      validateCertificatePath(
        leaf.cert,
        await options({ revocation: { fetchCrls: true, crlCache } }),
      ),
    );
    expect(err.code).toBe('PKI_REVOCATION_UNKNOWN');
    expect(crlCache.size).toBe(0);
  });

  it('revokes from a fetched CRL', async () => {
    reply = {
      status: 200,
      body: (await issueTestCrl({ issuer: ca, revoked: [{ cert: leaf.cert, reasonCode: 4 }] })).der,
    };
    const err = await codeOf(
      validateCertificatePath(leaf.cert, await options({ revocation: { fetchCrls: true } })),
    );
    expect(err.code).toBe('PKI_CERT_REVOKED');
    expect(err.context.reason).toBe('superseded');
  });

  it('refuses other schemes and bodies over the size limit', async () => {
    const ldap = await codeOf(fetchCrl('ldap://example.test/cn=CA'));
    expect(ldap.code).toBe('PKI_CRL_FETCH_FAILED');
    const large = await codeOf(fetchCrl(`${baseUrl}/ca.crl`, { maxBytes: 10 }));
    expect(large.code).toBe('PKI_CRL_FETCH_FAILED');
    expect(large.context.bytes).toBe(goodCrl.byteLength);
  });

  it('stops a fetch when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await codeOf(fetchCrl(`${baseUrl}/ca.crl`, {}, controller.signal));
    expect(err.code).toBe('PKI_VALIDATION_ABORTED');
  });
});
