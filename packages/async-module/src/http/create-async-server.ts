// A ready HTTPS server with mutual TLS around the Asynchronous Module plugin.

import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  PeerChainCache,
  authenticatePeer,
  mtlsServerOptions,
  type ChainValidator,
  type MtlsIdentityOptions,
  type Principal,
  type PrincipalResolver,
} from '@interop-blocks/security';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { asyncModulePlugin, type AsyncModulePluginOptions } from './async-plugin.js';

/** Options of {@link createAsyncServer}. */
export interface AsyncServerOptions extends Omit<AsyncModulePluginOptions, 'authenticate'> {
  /** The server's own key, certificate chain, and the trust anchors of client certificates. */
  tls: MtlsIdentityOptions;
  /** Validates client chains (trust anchors, revocation); e.g. a `CertificateValidator`. */
  validator: ChainValidator;
  /** Maps a validated client certificate to its registered principal. */
  resolvePrincipal: PrincipalResolver<Principal>;
  /** Registers more routes on the same server (e.g. the file exchange or the clerk page). */
  extend?: (
    app: FastifyInstance,
    authenticate: (request: FastifyRequest) => Promise<Principal>,
  ) => Promise<void>;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
}

/** A running Asynchronous Module server. */
export interface AsyncServer {
  app: FastifyInstance;
  /** `https://host:port`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts an HTTPS server with mutual TLS serving {@link asyncModulePlugin}. Every TLS handshake
 * completes so that a refused client gets a coded 401; the decision is `authenticatePeer`'s full
 * path validation (revocation included) and the principal lookup, with one shared chain cache.
 *
 * @throws whatever `app.listen` throws (port in use).
 * @example
 * ```ts
 * const server = await createAsyncServer({ rooms, declarations, rights, signer, verifier,
 *   tls: { key, certificateChain, trustAnchors }, validator, resolvePrincipal });
 * ```
 */
export async function createAsyncServer(options: AsyncServerOptions): Promise<AsyncServer> {
  const app = Fastify({
    https: mtlsServerOptions({ ...options.tls, refuseAt: 'application' }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    keepAliveTimeout: 30_000,
  });

  // Resumed TLS sessions present only the leaf: the cache completes them from the full handshake.
  const chainCache = new PeerChainCache(1024);
  const authenticate = async (request: FastifyRequest): Promise<Principal> => {
    const peer = await authenticatePeer(request.raw.socket as TLSSocket, {
      validator: options.validator,
      resolvePrincipal: options.resolvePrincipal,
      chainCache,
    });
    return peer.principal;
  };
  await app.register(asyncModulePlugin, { ...options, authenticate });
  if (options.extend) await options.extend(app, authenticate);

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { app, url: `https://${host}:${address.port}`, close: () => app.close() };
}
