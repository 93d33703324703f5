// An OpenAPI 3.1 document of the query service, generated from the dataset declarations.

import { AnswerBatchSchema, QueryBatchSchema } from '@interop-blocks/core';
import type { Dataset } from '../dataset/define-dataset.js';

/** Builds the OpenAPI document: one query path per dataset, with its record schema. */
export function buildOpenApi(datasets: readonly Dataset[]): Record<string, unknown> {
  const plain = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema));
  const paths: Record<string, unknown> = {};
  for (const d of datasets) {
    paths[`/io/v1/${d.id}/query`] = {
      post: {
        summary: `Query ${d.declaration.title}`,
        description:
          'A batch query signed as a detached JWS in the x-interop-signature header, ' +
          'over mutual TLS. ' +
          `Purposes served: ${Object.keys(d.declaration.purposes).join(', ') || 'none'}.`,
        parameters: [
          { name: 'x-interop-signature', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryBatch' } } },
        },
        responses: {
          '200': {
            description:
              `Answers; found answers carry records of ${d.id} ` +
              "reduced to the purpose's fields.",
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/AnswerBatch' } },
            },
          },
          '4XX': { description: 'A coded refusal: { error: { code, message, context } }.' },
        },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: { title: 'IO-Module query service', version: '1' },
    paths,
    components: {
      schemas: {
        QueryBatch: plain(QueryBatchSchema),
        AnswerBatch: plain(AnswerBatchSchema),
        ...Object.fromEntries(
          datasets.map((d) => [
            `Record_${d.id.replace(/[^A-Za-z0-9_]/g, '_')}`,
            d.declaration.recordSchema,
          ]),
        ),
      },
    },
  };
}
