// An undici connector for mutual TLS that also authenticates the server with authenticatePeer.

import type { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import {
  authenticatePeer,
  type AuthenticatedPeer,
  type PeerAuthenticationOptions,
} from './authenticate-peer.js';
import { mtlsClientOptions, type MtlsIdentityOptions } from './mtls-options.js';
import { PeerChainCache } from './peer-chain.js';

/** Options of {@link mtlsConnector}. */
export interface MtlsConnectorOptions<P> extends MtlsIdentityOptions {
  /** How the server is authenticated after the handshake; its role is always `'server'`. */
  server: Omit<PeerAuthenticationOptions<P>, 'role'>;
  /** Called with each authenticated server connection (e.g. to record the server principal). */
  onAuthenticated?: (peer: AuthenticatedPeer<P>, socket: TLSSocket) => void;
}

/**
 * A connector for `new Agent({ connect: mtlsConnector(...) })`: the TLS options of
 * {@link mtlsClientOptions} (Node checks the chain to the anchors and the host name), then the
 * full validation of the server chain (revocation, key usage, EKU serverAuth) and the principal
 * lookup. A refused server's socket is destroyed and the request fails with the `TLS_*` error.
 *
 * @param options - own identity and trust, and how to authenticate the server.
 * @throws SecurityError `TLS_OPTIONS_INVALID` at once; requests fail with the codes of
 *   `authenticatePeer`.
 * @example
 * ```ts
 * const agent = new Agent({
 *   connect: mtlsConnector({
 *     key,
 *     certificateChain,
 *     trustAnchors,
 *     server: { validator, resolvePrincipal },
 *   }),
 * });
 * ```
 */
export function mtlsConnector<P>(options: MtlsConnectorOptions<P>): buildConnector.connector {
  const connect = buildConnector({ ...mtlsClientOptions(options) });
  const server = {
    ...options.server,
    role: 'server' as const,
    chainCache: options.server.chainCache ?? new PeerChainCache(),
  };

  return (target, callback) => {
    connect(target, (error, socket) => {
      if (error) {
        callback(error, null);
        return;
      }
      const tlsSocket = socket as TLSSocket;
      authenticatePeer(tlsSocket, server).then(
        (peer) => {
          options.onAuthenticated?.(peer, tlsSocket);
          callback(null, tlsSocket);
        },
        (refusal: unknown) => {
          tlsSocket.destroy();
          callback(refusal instanceof Error ? refusal : new Error(String(refusal)), null);
        },
      );
    });
  };
}
