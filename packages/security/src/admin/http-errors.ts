// Turns errors of the admin routes into coded HTTP answers, never echoing values of the request.

import { SecurityError, type SecurityErrorCode } from '../errors.js';

/** The body of every admin error answer. */
export interface AdminErrorBody {
  code: string;
  message: string;
  context?: Record<string, unknown>;
}

const STATUS: Partial<Record<SecurityErrorCode, number>> = {
  RIGHTS_INPUT_INVALID: 400,
  RIGHTS_PATTERN_INVALID: 400,
  RIGHTS_UNAUTHENTICATED: 401,
  RIGHTS_NOT_FOUND: 404,
  RIGHTS_DUPLICATE: 409,
  RIGHTS_TRANSITION_INVALID: 409,
  RIGHTS_TRAIL_FAILED: 503,
};

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: { instancePath?: string; keyword?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

/**
 * The status and body for `error`, or undefined for an error the admin API does not know (a
 * store failure, a bug): those go to the application's own error handler.
 */
export function toHttpError(error: unknown): { status: number; body: AdminErrorBody } | undefined {
  if (error instanceof SecurityError) {
    const status = STATUS[error.code];
    if (status === undefined) return undefined;
    return {
      status,
      body: { code: error.code, message: error.message, context: { ...error.context } },
    };
  }

  const e = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  const first = e.validation?.[0];
  if (first) {
    const where = `${e.validationContext ?? 'request'}${first.instancePath ?? ''}`;
    const missing = first.params?.missingProperty;
    const what =
      typeof missing === 'string' ? `${first.keyword} '${missing.slice(0, 40)}'` : first.keyword;
    return {
      status: 400,
      body: {
        code: 'RIGHTS_INPUT_INVALID',
        message: `The ${where} is invalid: ${what}.`,
        context: { field: where, keyword: first.keyword ?? null },
      },
    };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Malformed or empty JSON, an unsupported media type, a body too large: Fastify's own checks.
    return {
      status: e.statusCode,
      body: {
        code: 'RIGHTS_INPUT_INVALID',
        message: 'The request body cannot be read as JSON of the expected size.',
        context: { fastifyCode: e.code ?? null },
      },
    };
  }
  return undefined;
}
