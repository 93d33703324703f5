// OCSP test fixtures: an HTTP server on port 0 that counts requests, responder certificates.

import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  extendedKeyUsage,
  extension,
  keyUsage,
  type DevKeyUsage,
} from '../../src/dev-pki/build-extensions.js';
import { generateDevKeyPair, type DevKeyPair } from '../../src/dev-pki/crypto-engine.js';
import {
  asAuthority,
  issueCertificate,
  type DevIssued,
} from '../../src/dev-pki/issue-certificate.js';

/** A loopback HTTP server whose handler can be swapped, counting the requests it receives. */
export interface TestServer {
  readonly url: string;
  readonly requests: number;
  setHandler(handler: RequestListener): void;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0. */
export async function startTestServer(): Promise<TestServer> {
  let handler: RequestListener = (_req, res) => res.writeHead(503).end();
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ocsp`,
    get requests() {
      return requests;
    },
    setHandler(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a responder certificate should carry. */
export interface ResponderCertOptions {
  name: string;
  /** id-kp-OCSPSigning in extended key usage. */
  ocspSigning: boolean;
  /** id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1). */
  noCheck: boolean;
  /** Key usage; default `['digitalSignature']`. */
  keyUsage?: DevKeyUsage[];
  notBefore: Date;
  notAfter: Date;
}

/** Issues an OCSP responder certificate under `issuer` (a CA of a development PKI). */
export async function issueResponderCertificate(
  issuer: DevIssued,
  options: ResponderCertOptions,
): Promise<DevIssued> {
  const authority = asAuthority(issuer, await importKeyPair(issuer), false);
  const extensions = [keyUsage(options.keyUsage ?? ['digitalSignature'])];
  if (options.ocspSigning) extensions.push(extendedKeyUsage(['OCSPSigning']));
  if (options.noCheck) extensions.push(extension('1.3.6.1.5.5.7.48.1.5', false, new asn1js.Null()));
  return issueCertificate({
    name: options.name,
    subject: { commonName: options.name },
    keys: await generateDevKeyPair('ecdsa-p256'),
    issuer: authority,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    extensions,
  });
}

/** The WebCrypto form of an issued ECDSA P-256 CA key, which the dev PKI signs with. */
async function importKeyPair(issued: DevIssued): Promise<DevKeyPair> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const pkcs8 = issued.key.export({ format: 'der', type: 'pkcs8' });
  const spki = issued.certificate.raw.subjectPublicKeyInfo.toSchema().toBER(false);
  return {
    privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
    keyPem: issued.keyPem,
    key: issued.key,
  };
}
