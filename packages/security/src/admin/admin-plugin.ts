// The Fastify plugin of the administration API: the same operations over HTTP, each request
// first authorized (`administer` on `security.rights`), every change trailed with its author.

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { SecurityError } from '../errors.js';
import type { Rights } from '../rights/open-rights.js';
import { RIGHTS_ADMIN_SOURCE } from '../rights/types.js';
import { checkText } from '../rights/validate-input.js';
import { adminRoutes, type AdminRoute } from './admin-routes.js';
import { toHttpError } from './http-errors.js';
import { findTypeMismatch } from './json-types.js';
import { createRightsAdmin } from './rights-admin.js';

/** Who calls the admin API: the authenticated principal and the official acting for it. */
export interface AdminIdentity {
  principal: string;
  official: string;
}

/** Options of {@link rightsAdminPlugin}. */
export interface RightsAdminPluginOptions {
  /** The rights service whose registry is administered (and which authorizes the callers). */
  rights: Rights;
  /**
   * Identifies the caller, e.g. from the mutual TLS peer (`authenticatePeer`). Return undefined or
   * throw to refuse with 401 `RIGHTS_UNAUTHENTICATED`.
   */
  resolvePrincipal(
    request: FastifyRequest,
  ): AdminIdentity | undefined | Promise<AdminIdentity | undefined>;
  /** The legal basis stated for administration (recorded with every admin decision). */
  legalBasis: string;
  /** The purpose stated for administration. Default `rights-administration`. */
  purpose?: string;
  /** The case of a request. Default: the `interop-case` header, else Fastify's request id. */
  caseOf?(request: FastifyRequest): string | undefined;
}

/**
 * A Fastify plugin exposing the administration API as JSON over HTTP, under the prefix it is
 * registered with. Every request is authorized as `administer` on `security.rights` for the
 * configured purpose and legal basis (refused: 403 with the reason code; no identity: 401); bodies
 * are type-checked, then validated by Fastify's ajv (400 `RIGHTS_INPUT_INVALID`, also for
 * malformed JSON). Changes carry a `reason` and are recorded with the caller as their author.
 *
 * Fastify is imported as types only: the package needs it at run time only when this is used.
 *
 * @throws SecurityError `RIGHTS_INPUT_INVALID` at registration when the options are incomplete.
 * @example
 * ```ts
 * await app.register(rightsAdminPlugin, {
 *   prefix: '/admin',
 *   rights,
 *   legalBasis: 'Internal rule on access rights, art. 3',
 *   resolvePrincipal: async (req) => {
 *     const peer = await authenticatePeer(req.raw.socket, {
 *       validator,
 *       resolvePrincipal: (cert) => directory.lookup(cert),
 *     });
 *     return { principal: peer.principal.id, official: String(req.headers['interop-official']) };
 *   },
 * });
 * ```
 */
export const rightsAdminPlugin: FastifyPluginAsync<RightsAdminPluginOptions> = async (
  app,
  options,
) => {
  const admin = createRightsAdmin(options.rights);
  const legalBasis = checkText(options.legalBasis, 'legalBasis', 200);
  const purpose = options.purpose ?? 'rights-administration';
  if (typeof options.resolvePrincipal !== 'function') {
    throw new SecurityError('RIGHTS_INPUT_INVALID', 'resolvePrincipal is a function.', {
      context: { field: 'resolvePrincipal' },
    });
  }
  const identities = new WeakMap<FastifyRequest, AdminIdentity>();

  app.addHook('onRequest', async (request, reply) => {
    const identity = await identify(options, request);
    const decision = await options.rights.authorize({
      principal: identity.principal,
      official: identity.official,
      action: 'administer',
      source: RIGHTS_ADMIN_SOURCE,
      purpose,
      legalBasis,
      case: caseOf(options, request),
    });
    if (!decision.allowed) {
      return reply.code(403).send({ code: decision.reason.code, message: decision.reason.message });
    }
    identities.set(request, identity);
  });

  app.setErrorHandler(async (error, _request, reply) => {
    const answer = toHttpError(error);
    if (!answer) throw error;
    return reply.code(answer.status).send(answer.body);
  });

  for (const route of adminRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      schema: { body: route.body, params: route.params, querystring: route.query },
      preValidation: async (request) => checkBodyTypes(route, request),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const identity = identities.get(request) as AdminIdentity;
        const body = (request.body ?? {}) as Record<string, unknown>;
        const result = await route.handle(admin, {
          body,
          params: request.params as { id: string },
          query: (request.query ?? {}) as Record<string, unknown>,
          context: {
            by: { principal: identity.principal, official: identity.official },
            reason: typeof body.reason === 'string' ? body.reason : '',
          },
        });
        return reply.code(route.status).send(result);
      },
    });
  }
};

async function identify(
  options: RightsAdminPluginOptions,
  request: FastifyRequest,
): Promise<AdminIdentity> {
  let identity: AdminIdentity | undefined;
  try {
    identity = await options.resolvePrincipal(request);
  } catch (cause) {
    const code = cause instanceof SecurityError ? cause.code : null;
    throw new SecurityError('RIGHTS_UNAUTHENTICATED', 'The caller could not be identified.', {
      context: { cause: code },
      cause,
    });
  }
  if (typeof identity?.principal !== 'string' || typeof identity.official !== 'string') {
    throw new SecurityError('RIGHTS_UNAUTHENTICATED', 'The caller is not identified.');
  }
  return identity;
}

function caseOf(options: RightsAdminPluginOptions, request: FastifyRequest): string {
  const header = request.headers['interop-case'];
  const fromHeader = typeof header === 'string' && header.length > 0 ? header : undefined;
  return options.caseOf?.(request) ?? fromHeader ?? request.id;
}

function checkBodyTypes(route: AdminRoute, request: FastifyRequest): void {
  if (!route.body) return;
  const at = findTypeMismatch(route.body, request.body);
  if (at) {
    throw new SecurityError(
      'RIGHTS_INPUT_INVALID',
      `The body${at === '/' ? '' : at} has the wrong type or is not allowed.`,
      {
        context: { field: `body${at === '/' ? '' : at}` },
      },
    );
  }
}
