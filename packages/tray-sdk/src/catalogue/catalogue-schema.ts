// JSON Schema of the source catalogue: every source, how to reach it, its canonical answer, limits.

import { PurposeCodeSchema, SourceIdSchema } from '@interop-blocks/core';
import { Type, type Static } from '@sinclair/typebox';

const Url = Type.String({ format: 'uri', pattern: '^https?://' });
const Pointer = Type.String({ pattern: '^(/[^/]*)*$', maxLength: 500 });
const XRoadId = (parts: number) =>
  Type.String({ pattern: `^[^/\\s]+(?:/[^/\\s]+){${parts - 1}}$`, maxLength: 500 });

/** How a source is reached: one of the built-in connectors, or one registered by the agency. */
export const TransportSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('io-module'), url: Url, dataset: Type.Optional(SourceIdSchema) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('rest'),
      url: Url,
      method: Type.Union([Type.Literal('GET'), Type.Literal('POST')]),
      /** Query parameters; `{{subject.id}}`, `{{purpose}}`, ... are replaced per enquiry. */
      query: Type.Optional(Type.Record(Type.String(), Type.String())),
      /** A JSON body template with the same placeholders. */
      body: Type.Optional(Type.Unknown()),
      headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('soap'),
      url: Url,
      soapAction: Type.String(),
      operation: Type.String({ minLength: 1 }),
      namespace: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('async'),
      url: Url,
      room: Type.Optional(SourceIdSchema),
      delivery: Type.Union([Type.Literal('callback'), Type.Literal('pull')]),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('xroad'),
      securityServer: Url,
      /** `INSTANCE/CLASS/MEMBER/SUBSYSTEM` of the enquiring body. */
      client: XRoadId(4),
      /** `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE` of the source. */
      service: XRoadId(5),
      path: Type.String({ pattern: '^/' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('custom'),
      connector: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }),
      options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    },
    { additionalProperties: false },
  ),
]);

/** Timeouts, retries, breaker, concurrency, rate and batching of one source. */
export const LimitsSchema = Type.Object(
  {
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    backoffBaseMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000 })),
    backoffMaxMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    batchWindowMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    breakerFailures: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    breakerHalfOpenAfterMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
    /** For asynchronous sources: how long an answer may take. */
    deadlineMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 30 * 86_400_000 })),
  },
  { additionalProperties: false },
);

/**
 * From the source's answer to the canonical one: where the records are, and for each canonical
 * field the JSON pointer of its value in a record. Without a mapping the answer is taken as is.
 */
export const MappingSchema = Type.Object(
  {
    records: Type.Optional(Pointer),
    fields: Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), Pointer),
  },
  { additionalProperties: false },
);

/** One source: one dataset of one institution. */
export const SourceDeclarationSchema = Type.Object(
  {
    id: SourceIdSchema,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    owner: Type.String({ minLength: 1, maxLength: 100 }),
    transport: TransportSchema,
    /** JSON Schema of one canonical record; every answer is validated against it. */
    answerSchema: Type.Record(Type.String(), Type.Unknown()),
    mapping: Type.Optional(MappingSchema),
    group: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' })),
    limits: Type.Optional(LimitsSchema),
    purposes: Type.Array(PurposeCodeSchema, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

/** The source catalogue: data, not code. */
export const CatalogueSchema = Type.Object(
  { version: Type.Literal(1), sources: Type.Array(SourceDeclarationSchema) },
  { additionalProperties: false, $id: 'https://interop-blocks.eu/schemas/tray-catalogue/1' },
);

/** How a source is reached. */
export type Transport = Static<typeof TransportSchema>;
/** The limits of a source. */
export type Limits = Static<typeof LimitsSchema>;
/** The mapping of a source's answer to its canonical form. */
export type Mapping = Static<typeof MappingSchema>;
/** One source of the catalogue. */
export type SourceDeclaration = Static<typeof SourceDeclarationSchema>;
/** The catalogue as written. */
export type CatalogueDeclaration = Static<typeof CatalogueSchema>;
