// A ready HTTPS server with mutual TLS around the IO-Module plugin: the convenient way to serve.

import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  PeerChainCache,
  authenticatePeer,
  mtlsServerOptions,
  type ChainValidator,
  type MtlsIdentityOptions,
  type PrincipalResolver,
  type Principal,
} from '@interop-blocks/security';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConnectionIdentities } from './connection-identity.js';
import { ioModulePlugin, type IoModulePluginOptions } from './io-plugin.js';

/** Options of {@link createIoServer}. */
export interface IoServerOptions extends Omit<IoModulePluginOptions, 'authenticate'> {
  /** The server's own key, certificate chain, and the trust anchors of client certificates. */
  tls: MtlsIdentityOptions;
  /** Validates client chains (trust anchors, revocation); e.g. a `CertificateValidator`. */
  validator: ChainValidator;
  /** Maps a validated client certificate to its registered principal. */
  resolvePrincipal: PrincipalResolver<Principal>;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /**
   * How long the checked client of an open TLS connection is trusted before it is checked again
   * (revocation and registration reach open connections within this time). Default 60 000 ms;
   * 0 checks every request.
   */
  peerRecheckMs?: number;
}

/** A running IO-Module server. */
export interface IoServer {
  app: FastifyInstance;
  /** `https://host:port`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server with mutual TLS serving the IO-Module plugin. Every TLS handshake
 * completes so that a refused client gets a coded 401 it can act on; the decision is
 * `authenticatePeer`'s full path validation (revocation included) and the principal lookup, made
 * once per connection and again every `peerRecheckMs`.
 *
 * @example
 * ```ts
 * const server = await createIoServer({ service, tls: { key, certificateChain, trustAnchors },
 *   validator, resolvePrincipal: (cert) => directory.resolve(cert) });
 * ```
 */
export async function createIoServer(options: IoServerOptions): Promise<IoServer> {
  const app = Fastify({
    https: mtlsServerOptions({ ...options.tls, refuseAt: 'application' }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    keepAliveTimeout: 30_000,
  });

  // Resumed TLS sessions present only the leaf: the cache completes them from the full handshake.
  const chainCache = new PeerChainCache(1024);
  const identities = new ConnectionIdentities<Principal>(options.peerRecheckMs ?? 60_000);
  await app.register(ioModulePlugin, {
    ...options,
    authenticate: (request) => {
      const socket = request.raw.socket as TLSSocket;
      return identities.of(socket, async () => {
        const peer = await authenticatePeer(socket, {
          validator: options.validator,
          resolvePrincipal: options.resolvePrincipal,
          chainCache,
        });
        return { principal: peer.principal, notAfter: peer.certificate.notAfter };
      });
    },
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { app, url: `https://${host}:${address.port}`, close: () => app.close() };
}
