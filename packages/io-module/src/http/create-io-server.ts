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
 * `authenticatePeer`'s full path validation (revocation included) and the principal lookup.
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
  await app.register(ioModulePlugin, {
    ...options,
    authenticate: async (request) => {
      const peer = await authenticatePeer(request.raw.socket as TLSSocket, {
        validator: options.validator,
        resolvePrincipal: options.resolvePrincipal,
        chainCache,
      });
      return peer.principal;
    },
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { app, url: `https://${host}:${address.port}`, close: () => app.close() };
}
