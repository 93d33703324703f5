// JSON Schemas of the admin HTTP routes (validated by Fastify's ajv, types checked first).

import type { JsonSchema } from './json-types.js';

const id: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' };
const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const reason = text(500);
const time: JsonSchema = { type: 'string', minLength: 10, maxLength: 40 };

/** Issuer and serial number, or the certificate as PEM: the library checks which is given. */
const certificateFields: Record<string, JsonSchema> = {
  issuer: text(1024),
  serialNumber: { type: 'string', minLength: 1, maxLength: 120 },
  certificatePem: { type: 'string', minLength: 1, maxLength: 20_000 },
};
const certificate: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: certificateFields,
};
const certificates: JsonSchema = { type: 'array', maxItems: 20, items: certificate };

const body = (required: string[], properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required: [...required, 'reason'],
  additionalProperties: false,
  properties: { ...properties, reason },
});

/** Bodies of the change routes. */
export const bodies = {
  organisation: body(['name'], {
    id,
    name: text(200),
    organizationIdentifier: { type: 'string', maxLength: 80 },
    certificates,
  }),
  application: body(['organisationId', 'name'], {
    id,
    organisationId: id,
    name: text(200),
    certificates,
  }),
  user: body(['organisationId', 'name', 'officialId'], {
    id,
    organisationId: id,
    name: text(200),
    officialId: text(100),
    certificates,
  }),
  role: body(['name'], { id, organisationId: id, name: text(200) }),
  certificate: body([], certificateFields),
  assignment: body(['roleId', 'memberId'], { id, roleId: id, memberId: id }),
  right: body(['principalId', 'action', 'source', 'purposes'], {
    id,
    principalId: id,
    action: { type: 'string', enum: ['query', 'answer', 'administer'] },
    source: { type: 'string', minLength: 1, maxLength: 128 },
    purposes: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: { type: 'string', maxLength: 64 },
    },
    fields: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: { type: 'string', maxLength: 128 },
    },
    validFrom: time,
    validUntil: time,
  }),
  reasonOnly: body([], {}),
} as const;

/** Path parameters `:id`. */
export const idParams: JsonSchema = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id },
};

/** Query strings of the list routes. */
export const queries = {
  principals: {
    type: 'object',
    additionalProperties: false,
    properties: {
      kind: { type: 'string', enum: ['organisation', 'application', 'user', 'role'] },
      organisationId: id,
    },
  },
  rights: {
    type: 'object',
    additionalProperties: false,
    properties: {
      principalId: id,
      action: { type: 'string', enum: ['query', 'answer', 'administer'] },
    },
  },
  assignments: {
    type: 'object',
    additionalProperties: false,
    properties: { roleId: id, memberId: id },
  },
  changes: {
    type: 'object',
    additionalProperties: false,
    properties: {
      after: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1, maximum: 1000 },
    },
  },
} satisfies Record<string, JsonSchema>;
