// JSON Schemas of the bodies of the HTTP API, and the check that turns a mismatch into a 400.

import { createAjv } from '@interop-blocks/core';
import { AsyncError } from '../errors.js';

const MESSAGE_ID = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' };
const REQUEST_ID = { type: 'string', minLength: 1, maxLength: 64 };
const SUBMISSION = {
  query: { type: 'object' },
  deadline: { type: 'integer', minimum: 0 },
  callbackUrl: { type: 'string', minLength: 9, maxLength: 2000 },
};
const strict = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: { messageId: MESSAGE_ID, ...properties },
  required: ['messageId', ...required],
  additionalProperties: false,
});

/** The schema of each signed body, by route. */
export const BODY_SCHEMAS = {
  submit: strict(
    {
      requests: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: {
          type: 'object',
          properties: SUBMISSION,
          required: ['query'],
          additionalProperties: false,
        },
      },
    },
    ['requests'],
  ),
  submitToGroup: strict(SUBMISSION, ['query']),
  cancel: strict({}, []),
  acknowledge: strict({ cursor: { type: 'string', minLength: 1, maxLength: 200 } }, ['cursor']),
  lease: strict(
    {
      max: { type: 'integer', minimum: 1, maximum: 1000 },
      visibilityMs: { type: 'integer', minimum: 1000, maximum: 86_400_000 },
    },
    ['max', 'visibilityMs'],
  ),
  extend: strict({ visibilityMs: { type: 'integer', minimum: 1000, maximum: 86_400_000 } }, [
    'visibilityMs',
  ]),
  answer: strict(
    {
      answers: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: {
          type: 'object',
          properties: {
            requestId: REQUEST_ID,
            status: { enum: ['found', 'not_found'] },
            data: {},
            version: { type: 'string', minLength: 1, maxLength: 64 },
            signature: { type: 'string', minLength: 1, maxLength: 20_000 },
          },
          required: ['requestId', 'status'],
          additionalProperties: false,
        },
      },
    },
    ['answers'],
  ),
  decline: strict(
    {
      declines: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: {
          type: 'object',
          properties: {
            requestId: REQUEST_ID,
            reason: {
              type: 'object',
              properties: {
                code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{2,63}$' },
                message: { type: 'string', minLength: 1, maxLength: 500 },
              },
              required: ['code'],
              additionalProperties: false,
            },
          },
          required: ['requestId', 'reason'],
          additionalProperties: false,
        },
      },
    },
    ['declines'],
  ),
} as const;

/** A route whose body is checked. */
export type BodyKind = keyof typeof BODY_SCHEMAS;

const ajv = createAjv();
const validators = new Map(
  Object.entries(BODY_SCHEMAS).map(([kind, schema]) => [kind, ajv.compile(schema)]),
);

/**
 * Checks a parsed body against the schema of its route.
 * @throws AsyncError `ASYNC_BODY_INVALID` with the failing path and keyword (never the value).
 */
export function checkBody<T>(kind: BodyKind, value: unknown): T {
  const validate = validators.get(kind)!;
  if (validate(value)) return value as T;
  const [first] = validate.errors ?? [];
  throw new AsyncError('ASYNC_BODY_INVALID', `The body does not match the ${kind} schema.`, {
    context: { path: first?.instancePath ?? '', keyword: first?.keyword ?? '' },
  });
}
