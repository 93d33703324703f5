// A per-request mutual TLS check for node:http(s) servers, answering refusals with a status.

import type { IncomingMessage } from 'node:http';
import { SecurityError } from '../errors.js';
import {
  authenticatePeer,
  type AuthenticatedPeer,
  type PeerAuthenticationOptions,
} from './authenticate-peer.js';
import { PeerChainCache } from './peer-chain.js';

/** The outcome of {@link mtlsGuard} for one request. */
export type PeerDecision<P> =
  | { readonly accepted: true; readonly peer: AuthenticatedPeer<P> }
  | {
      readonly accepted: false;
      /** 401 when the peer is not authenticated, 403 when it is but is not registered. */
      readonly status: 401 | 403;
      /** A body safe to send: the code and a message, no certificate details. */
      readonly body: { readonly code: string; readonly message: string };
      readonly error: SecurityError;
    };

/**
 * Builds a request check for `node:http`/`node:https` servers (and Fastify's raw request):
 * authenticates the peer of the request's TLS socket and returns a decision as a value. Refusals
 * carry a 401 (no, untrusted, expired, revoked or unfit certificate) or 403 (principal not
 * registered) status and a JSON-safe body with the code. Other errors (e.g. an aborted signal)
 * are thrown. One guard keeps one chain cache, so resumed sessions validate like full ones.
 *
 * @param options - as {@link authenticatePeer}; `chainCache` defaults to a guard-owned cache.
 * @returns `(req) => Promise<PeerDecision>`.
 * @example
 * ```ts
 * const guard = mtlsGuard({ validator, resolvePrincipal });
 * https.createServer(mtlsServerOptions(tls), async (req, res) => {
 *   const decision = await guard(req);
 *   if (!decision.accepted) {
 *     res.writeHead(decision.status, { 'content-type': 'application/json' });
 *     res.end(JSON.stringify(decision.body));
 *     return;
 *   }
 *   // decision.peer.principal is the caller
 * });
 * ```
 */
export function mtlsGuard<P>(
  options: PeerAuthenticationOptions<P>,
): (req: IncomingMessage) => Promise<PeerDecision<P>> {
  const settings = { ...options, chainCache: options.chainCache ?? new PeerChainCache() };

  return async (req) => {
    try {
      const peer = await authenticatePeer(req.socket, settings);
      return { accepted: true, peer };
    } catch (error) {
      if (!(error instanceof SecurityError) || !isTlsRefusal(error)) throw error;
      return {
        accepted: false,
        status: error.code === 'TLS_PRINCIPAL_UNKNOWN' ? 403 : 401,
        body: { code: error.code, message: error.message },
        error,
      };
    }
  };
}

function isTlsRefusal(error: SecurityError): boolean {
  return error.code.startsWith('TLS_') && error.code !== 'TLS_OPTIONS_INVALID';
}
