// Test world for mutual TLS: a dev PKI with good and bad client certificates, a second (unknown)
// PKI, a principal registry, and an https server on port 0 guarded by mtlsGuard.

import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { mtlsClientOptions, mtlsGuard, mtlsServerOptions } from '../../src/index.js';
import { createDevPki } from '../../src/dev-pki/create-dev-pki.js';
import type { DevPki } from '../../src/dev-pki/dev-pki-options.js';
import type { DevIssued } from '../../src/dev-pki/issue-certificate.js';
import { parseCertificate, type Certificate } from '../../src/pki/certificate.js';
import { parseCrl } from '../../src/pki/crl.js';
import { CertificateValidator } from '../../src/pki/validate-path.js';
import { PrincipalDirectory } from '../../src/qualified/principal-directory.js';
import type { Principal } from '../../src/qualified/principal.js';

const DAY = 86_400_000;

/** Two PKIs and a principal directory that knows the organisations `centre` and `registry`. */
export interface MtlsWorld {
  readonly pki: DevPki;
  readonly unknownPki: DevPki;
  readonly root: Certificate;
  readonly validator: CertificateValidator;
  readonly directory: PrincipalDirectory;
  resolvePrincipal(cert: Certificate): Principal | undefined;
}

/** Builds the world: PKI with extras (expired, revoked, wrong EKU, wrong key usage). */
export async function createMtlsWorld(): Promise<MtlsWorld> {
  const now = Date.now();
  const pki = await createDevPki({
    organisations: [
      { name: 'Centre for Social Work Test', id: 'centre' },
      { name: 'Test Registry', id: 'registry' },
      { name: 'Unregistered Body', id: 'stranger' },
    ],
    extras: [
      {
        name: 'expired-client',
        organisation: 'centre',
        extendedKeyUsage: ['clientAuth'],
        notBefore: new Date(now - 30 * DAY),
        notAfter: new Date(now - 2 * DAY),
      },
      { name: 'revoked-client', organisation: 'centre', extendedKeyUsage: ['clientAuth'] },
      { name: 'server-only', organisation: 'centre', extendedKeyUsage: ['serverAuth'] },
      {
        name: 'revoked-server',
        organisation: 'registry',
        extendedKeyUsage: ['serverAuth'],
        ipAddresses: ['127.0.0.1'],
      },
      {
        name: 'agreement-only',
        organisation: 'centre',
        keyUsage: ['keyAgreement'],
        extendedKeyUsage: ['clientAuth'],
      },
    ],
    revoke: ['revoked-client', 'revoked-server'],
  });
  const unknownPki = await createDevPki({
    organisations: [{ name: 'Centre for Social Work Test', id: 'centre' }],
  });

  const root = parseCertificate(pki.root.certPem);
  const validator = new CertificateValidator({
    trustAnchors: [root],
    crls: [parseCrl(pki.crl.der), parseCrl(pki.rootCrl.der)],
  });
  const directory = new PrincipalDirectory();
  for (const id of ['centre', 'registry']) {
    const { organizationIdentifier, name } = pki.organisation(id);
    directory.registerOrganisationIdentifier(organizationIdentifier, {
      kind: 'organisation',
      id: `org:${id}`,
      name,
    });
  }

  return {
    pki,
    unknownPki,
    root,
    validator,
    directory,
    resolvePrincipal: (cert) => directory.lookup(cert),
  };
}

/** A running guarded server and what it saw. */
export interface GuardedServer {
  readonly url: string;
  /** Requests that reached the handler. */
  handled: number;
  /** Errors of handshakes Node refused (server side). */
  readonly handshakeErrors: Error[];
  close(): Promise<void>;
}

/**
 * Starts an https server on 127.0.0.1:0 with mtlsServerOptions; the handler answers 200 with the
 * principal, or the guard's 401/403 with the refusal code.
 */
export async function startGuardedServer(
  world: MtlsWorld,
  refuseAt: 'handshake' | 'application',
): Promise<GuardedServer> {
  const identity = world.pki.organisation('registry').server;
  const guard = mtlsGuard({
    validator: world.validator,
    resolvePrincipal: world.resolvePrincipal,
  });
  const state = { handled: 0, handshakeErrors: [] as Error[] };

  const server = https.createServer(
    mtlsServerOptions({
      key: identity.keyPem,
      certificateChain: identity.chainPem,
      trustAnchors: [world.root],
      refuseAt,
    }),
    (req, res) => {
      state.handled += 1;
      void guard(req).then((decision) => {
        const resumed = (req.socket as TLSSocket).isSessionReused();
        const protocol = (req.socket as TLSSocket).getProtocol();
        res.writeHead(decision.accepted ? 200 : decision.status, {
          'content-type': 'application/json',
        });
        res.end(
          JSON.stringify(
            decision.accepted
              ? { principal: decision.peer.principal, resumed, protocol }
              : decision.body,
          ),
        );
      });
    },
  );
  server.on('tlsClientError', (error) => state.handshakeErrors.push(error));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return Object.assign(state, {
    url: `https://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  });
}

/** An undici agent presenting `client` (or no certificate) and trusting the world's root. */
export function clientAgent(world: MtlsWorld, client?: DevIssued): Agent {
  if (!client) return new Agent({ connect: { ca: world.pki.trustAnchorPem } });
  return new Agent({
    connect: mtlsClientOptions({
      key: client.key,
      certificateChain: client.chainPem,
      trustAnchors: [world.root],
    }),
  });
}

/** One GET; resolves with status and JSON body. */
export async function get(
  url: string,
  agent: Agent,
  reset = false,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(url, { dispatcher: agent, reset });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}
