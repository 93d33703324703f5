import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticatePeer,
  mtlsClientOptions,
  mtlsConnector,
  mtlsServerOptions,
  SecurityError,
  type AuthenticatedPeer,
} from '../src/index.js';
import { parseCertificates } from '../src/pki/certificate.js';
import type { Principal } from '../src/qualified/principal.js';
import {
  clientAgent,
  createMtlsWorld,
  get,
  startGuardedServer,
  type GuardedServer,
  type MtlsWorld,
} from './support/mtls-world.js';

let world: MtlsWorld;

beforeAll(async () => {
  world = await createMtlsWorld();
});

describe('mutual TLS, refusals answered by the application (refuseAt: application)', () => {
  let server: GuardedServer;
  beforeAll(async () => {
    server = await startGuardedServer(world, 'application');
  });
  afterAll(() => server.close());

  const refusal = async (client: () => Agent) => {
    const agent = client();
    try {
      return await get(server.url, agent);
    } finally {
      await agent.close();
    }
  };

  it('accepts a registered client over TLS 1.3 and names its principal', async () => {
    const { status, body } = await refusal(() =>
      clientAgent(world, world.pki.organisation('centre').client),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ principal: { id: 'org:centre' }, protocol: 'TLSv1.3' });
  });

  it('refuses a client without a certificate with 401 TLS_NO_CERTIFICATE', async () => {
    const { status, body } = await refusal(() => clientAgent(world));
    expect(status).toBe(401);
    expect(body.code).toBe('TLS_NO_CERTIFICATE');
  });

  it('refuses a certificate of an unknown CA with 401 TLS_CERT_UNTRUSTED', async () => {
    const { status, body } = await refusal(() =>
      clientAgent(world, world.unknownPki.organisation('centre').client),
    );
    expect(status).toBe(401);
    expect(body.code).toBe('TLS_CERT_UNTRUSTED');
  });

  it('refuses an expired certificate with 401 TLS_CERT_EXPIRED', async () => {
    const { status, body } = await refusal(() =>
      clientAgent(world, world.pki.extras['expired-client']),
    );
    expect(status).toBe(401);
    expect(body.code).toBe('TLS_CERT_EXPIRED');
  });

  it('refuses a certificate on the CRL with 401 TLS_CERT_REVOKED', async () => {
    const { status, body } = await refusal(() =>
      clientAgent(world, world.pki.extras['revoked-client']),
    );
    expect(status).toBe(401);
    expect(body.code).toBe('TLS_CERT_REVOKED');
  });

  it('refuses a serverAuth-only certificate with 401 TLS_KEY_USAGE', async () => {
    const { status, body } = await refusal(() =>
      clientAgent(world, world.pki.extras['server-only']),
    );
    expect(status).toBe(401);
    expect(body.code).toBe('TLS_KEY_USAGE');
  });

  it('refuses a certificate without digitalSignature with 401 TLS_KEY_USAGE', async () => {
    const { status, body } = await refusal(() =>
      clientAgent(world, world.pki.extras['agreement-only']),
    );
    expect(status).toBe(401);
    expect(body.code).toBe('TLS_KEY_USAGE');
  });

  it('refuses a valid certificate of an unregistered organisation with 403', async () => {
    const { status, body } = await refusal(() =>
      clientAgent(world, world.pki.organisation('stranger').client),
    );
    expect(status).toBe(403);
    expect(body.code).toBe('TLS_PRINCIPAL_UNKNOWN');
  });

  it('authenticates a resumed session from the chain of the full handshake', async () => {
    const agent = clientAgent(world, world.pki.organisation('centre').client);
    try {
      const first = await get(server.url, agent, true);
      const second = await get(server.url, agent, true);
      expect(first.body).toMatchObject({ resumed: false, principal: { id: 'org:centre' } });
      expect(second.body).toMatchObject({ resumed: true, principal: { id: 'org:centre' } });
    } finally {
      await agent.close();
    }
  });
});

describe('mutual TLS, refusals at the handshake (refuseAt: handshake, the default)', () => {
  let server: GuardedServer;
  beforeAll(async () => {
    server = await startGuardedServer(world, 'handshake');
  });
  afterAll(() => server.close());

  const handshakeRefused = async (agent: Agent) => {
    const before = { handled: server.handled, errors: server.handshakeErrors.length };
    try {
      await expect(request(server.url, { dispatcher: agent })).rejects.toThrow();
    } finally {
      await agent.close();
    }
    expect(server.handled).toBe(before.handled);
  };

  it('accepts a registered client', async () => {
    const agent = clientAgent(world, world.pki.organisation('centre').client);
    const { status } = await get(server.url, agent).finally(() => agent.close());
    expect(status).toBe(200);
  });

  it('lets Node refuse no certificate, unknown CA, expiry, wrong EKU at handshake', async () => {
    await handshakeRefused(clientAgent(world));
    await handshakeRefused(clientAgent(world, world.unknownPki.organisation('centre').client));
    await handshakeRefused(clientAgent(world, world.pki.extras['expired-client']));
    await handshakeRefused(clientAgent(world, world.pki.extras['server-only']));
  });

  it('still refuses what Node does not check: revocation, key usage, principal', async () => {
    const cases = [
      ['revoked-client', 401, 'TLS_CERT_REVOKED'],
      ['agreement-only', 401, 'TLS_KEY_USAGE'],
    ] as const;
    for (const [name, status, code] of cases) {
      const agent = clientAgent(world, world.pki.extras[name]);
      const answer = await get(server.url, agent).finally(() => agent.close());
      expect(answer).toEqual({ status, body: expect.objectContaining({ code }) });
    }
    const agent = clientAgent(world, world.pki.organisation('stranger').client);
    const answer = await get(server.url, agent).finally(() => agent.close());
    expect(answer).toEqual({
      status: 403,
      body: expect.objectContaining({ code: 'TLS_PRINCIPAL_UNKNOWN' }),
    });
  });

  it('refuses clients that offer nothing newer than TLS 1.1', async () => {
    const socket = connect({
      host: '127.0.0.1',
      port: Number(new URL(server.url).port),
      maxVersion: 'TLSv1.1',
      minVersion: 'TLSv1',
      ca: world.pki.trustAnchorPem,
    });
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toMatch(/^ERR_SSL_/);
  });

  it('accepts a TLS 1.2 client with a forward-secret AEAD suite', async () => {
    const client = world.pki.organisation('centre').client;
    const socket = connect({
      host: '127.0.0.1',
      port: Number(new URL(server.url).port),
      maxVersion: 'TLSv1.2',
      ca: world.pki.trustAnchorPem,
      key: client.keyPem,
      cert: client.chainPem,
    });
    try {
      await once(socket, 'secureConnect');
      expect(socket.getProtocol()).toBe('TLSv1.2');
      expect(socket.getCipher().name).toMatch(/^ECDHE-(ECDSA|RSA)-(AES\d+-GCM|CHACHA20)/);
    } finally {
      socket.destroy();
    }
  });
});

describe('mutual TLS options', () => {
  const identity = () => world.pki.organisation('registry').server;

  it('refuses options without trust anchors or with a public key', () => {
    const { keyPem, chainPem, certificate } = identity();
    expect(() =>
      mtlsServerOptions({ key: keyPem, certificateChain: chainPem, trustAnchors: [] }),
    ).toThrow(expect.objectContaining({ code: 'TLS_OPTIONS_INVALID' }));
    expect(() =>
      mtlsClientOptions({
        key: certificate.publicKey,
        certificateChain: chainPem,
        trustAnchors: [world.root],
      }),
    ).toThrow(expect.objectContaining({ code: 'TLS_OPTIONS_INVALID' }));
  });

  it('asks for client certificates and leaves the rejection to the chosen layer', () => {
    const { key, chainPem } = identity();
    const base = { key, certificateChain: chainPem, trustAnchors: [world.root] };
    expect(mtlsServerOptions(base)).toMatchObject({
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
    });
    expect(mtlsServerOptions({ ...base, refuseAt: 'application' }).rejectUnauthorized).toBe(false);
    expect(mtlsClientOptions(base)).not.toHaveProperty('checkServerIdentity');
  });
});

describe('authenticatePeer', () => {
  const options = () => ({ validator: world.validator, resolvePrincipal: world.resolvePrincipal });

  it('takes a chain of X509Certificate objects as presented', async () => {
    const client = world.pki.organisation('centre').client;
    const chain = parseCertificates(client.chainPem).map((c) => new X509Certificate(c.der));
    const peer = await authenticatePeer(chain, options());
    expect(peer.principal).toMatchObject({ id: 'org:centre' });
  });

  it('takes a presented chain as certificates and returns the validated chain', async () => {
    const client = world.pki.organisation('registry').client;
    const peer = await authenticatePeer(parseCertificates(client.chainPem), options());
    expect(peer.principal).toMatchObject({ id: 'org:registry' });
    expect(peer.certificate.fingerprintSha256).toBe(client.certificate.fingerprintSha256);
    expect(peer.chain.at(-1)?.fingerprintSha256).toBe(world.root.fingerprintSha256);
  });

  it('refuses an empty chain and keeps the PKI cause of a refused one', async () => {
    await expect(authenticatePeer([], options())).rejects.toMatchObject({
      code: 'TLS_NO_CERTIFICATE',
    });
    const expired = world.pki.extras['expired-client']!;
    const error = await authenticatePeer(parseCertificates(expired.chainPem), options()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SecurityError);
    expect(error).toMatchObject({
      code: 'TLS_CERT_EXPIRED',
      context: { pkiCode: 'PKI_CERT_EXPIRED' },
      cause: expect.objectContaining({ code: 'PKI_CERT_EXPIRED' }),
    });
  });

  it('checks a server for serverAuth: a client certificate is not a server', async () => {
    const client = world.pki.organisation('centre').client;
    await expect(
      authenticatePeer(parseCertificates(client.chainPem), { ...options(), role: 'server' }),
    ).rejects.toMatchObject({ code: 'TLS_KEY_USAGE' });
  });
});

describe('mtlsConnector (client side)', () => {
  const connector = (onAuthenticated?: (peer: AuthenticatedPeer<Principal>) => void) => {
    const client = world.pki.organisation('centre').client;
    return new Agent({
      connect: mtlsConnector({
        key: client.key,
        certificateChain: client.chainPem,
        trustAnchors: [world.root],
        server: { validator: world.validator, resolvePrincipal: world.resolvePrincipal },
        onAuthenticated,
      }),
    });
  };

  it('authenticates the server and reports its principal', async () => {
    const server = await listen(world.pki.organisation('registry').server);
    const seen: AuthenticatedPeer<Principal>[] = [];
    const agent = connector((peer) => seen.push(peer));
    try {
      const res = await request(server.url, { dispatcher: agent });
      expect(await res.body.text()).toBe('ok');
      expect(seen.map((p) => p.principal.id)).toEqual(['org:registry']);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('refuses a server whose certificate Node accepts but the CRL revokes', async () => {
    const server = await listen(world.pki.extras['revoked-server']!);
    const agent = connector();
    try {
      await expect(request(server.url, { dispatcher: agent })).rejects.toMatchObject({
        code: 'TLS_CERT_REVOKED',
      });
    } finally {
      await agent.close();
      await server.close();
    }
  });
});

async function listen(identity: { keyPem: string; chainPem: string }) {
  const server = https.createServer(
    mtlsServerOptions({
      key: identity.keyPem,
      certificateChain: identity.chainPem,
      trustAnchors: [world.root],
    }),
    (_req, res) => res.end('ok'),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
