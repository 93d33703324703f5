// JSON Schema of a dataset declaration: what a data owner writes to publish a dataset.

import { PurposeCodeSchema, SourceIdSchema } from '@interop-blocks/core';
import { Type, type Static } from '@sinclair/typebox';

const FieldName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' });

/** Which record field holds the subject's identifier in which scheme. */
export const SubjectKeySchema = Type.Object(
  { scheme: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }), field: FieldName },
  { additionalProperties: false },
);

/** The fields one purpose may see. */
export const PurposeFieldsSchema = Type.Object(
  { fields: Type.Array(FieldName, { minItems: 1, uniqueItems: true }) },
  { additionalProperties: false },
);

/** The JSON Schema of one record: an object with declared properties, and any other keywords. */
export interface RecordSchema {
  type: 'object';
  properties: Record<string, unknown>;
  [keyword: string]: unknown;
}

/**
 * A dataset declaration. `recordSchema` is the JSON Schema of one record (an object with declared
 * `properties`); one subject may have many records (e.g. income items by month and payer).
 */
export const DatasetDeclarationSchema = Type.Object(
  {
    id: SourceIdSchema,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    owner: Type.String({ minLength: 1, maxLength: 100 }),
    subjectKeys: Type.Array(SubjectKeySchema, { minItems: 1, maxItems: 4 }),
    recordSchema: Type.Unsafe<RecordSchema>(
      Type.Object(
        { type: Type.Literal('object'), properties: Type.Record(Type.String(), Type.Unknown()) },
        { additionalProperties: true },
      ),
    ),
    purposes: Type.Record(PurposeCodeSchema, PurposeFieldsSchema),
    versionedByDate: Type.Optional(Type.Boolean()),
    keepVersions: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxBatch: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false, $id: 'https://interop-blocks.eu/schemas/io-dataset/1' },
);

/** A dataset declaration as written by the owner. */
export type DatasetDeclaration = Static<typeof DatasetDeclarationSchema>;
