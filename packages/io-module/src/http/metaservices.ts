// Metaservices: the datasets served, their record schemas, an OpenAPI document, health and
// readiness.

import { parseSourcePattern, type UsableRight } from '@interop-blocks/security';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dataset } from '../dataset/define-dataset.js';
import type { IoQueryService } from '../service/query-service.js';
import { buildOpenApi } from './openapi.js';

interface MetaOptions {
  service: IoQueryService;
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  healthChecks?: Record<string, () => Promise<boolean>>;
  maintenance?: () => boolean;
}

/** Registers the metaservices; dataset metadata needs an authenticated consumer too. */
export function registerMetaservices(fastify: FastifyInstance, options: MetaOptions): void {
  const copy = options.service.copy;

  fastify.get('/io/v1/datasets', { onRequest: options.authenticate }, async () => ({
    datasets: await Promise.all(
      copy.datasets().map(async (d) => {
        const live = await copy.live(d.id);
        return {
          id: d.id,
          title: d.declaration.title,
          owner: d.declaration.owner,
          subjectSchemes: d.declaration.subjectKeys.map((k) => k.scheme),
          purposes: Object.keys(d.declaration.purposes),
          maxBatch: d.maxBatch,
          versionedByDate: d.declaration.versionedByDate ?? false,
          live: live
            ? {
                version: String(live.id),
                label: live.label,
                asOf: live.asOf,
                records: live.records,
              }
            : null,
        };
      }),
    ),
  }));

  fastify.get('/io/v1/datasets/mine', { onRequest: options.authenticate }, async (request) => {
    const usable = await options.service.rights.usableRights(request.consumer!.id, 'query');
    return { datasets: usableDatasets(copy.datasets(), usable) };
  });

  fastify.get<{ Params: { dataset: string } }>(
    '/io/v1/datasets/:dataset/schema',
    { onRequest: options.authenticate },
    async (request) => {
      const dataset = copy.dataset(request.params.dataset);
      return {
        dataset: dataset.id,
        recordSchema: dataset.declaration.recordSchema,
        purposes: dataset.declaration.purposes,
      };
    },
  );

  fastify.get('/io/v1/openapi.json', async () => buildOpenApi(copy.datasets()));

  fastify.get('/health', async (_request, reply) => {
    const checks: Record<string, boolean> = { store: await probe(() => copy.ping()) };
    for (const [name, check] of Object.entries(options.healthChecks ?? {}))
      checks[name] = await probe(check);
    const healthy = Object.values(checks).every(Boolean);
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'failing', checks });
  });

  fastify.get('/ready', async (_request, reply) => {
    if (options.maintenance?.())
      return reply.code(503).send({ ready: false, reason: 'maintenance' });
    const ready = await probe(() => copy.ping());
    return reply.code(ready ? 200 : 503).send({ ready });
  });
}

/** The datasets a consumer may query, with the purposes and the fields each purpose releases. */
function usableDatasets(datasets: readonly Dataset[], usable: readonly UsableRight[]) {
  return datasets.flatMap((dataset) => {
    const rights = usable.filter((r) => parseSourcePattern(r.source).matches(dataset.id));
    const purposes = Object.entries(dataset.declaration.purposes).flatMap(([purpose, declared]) => {
      const covering = rights.filter((r) => r.purposes.includes(purpose));
      if (covering.length === 0) return [];
      const allowed = covering.some((r) => r.fields === '*')
        ? declared.fields
        : declared.fields.filter((f) => covering.some((r) => (r.fields as string[]).includes(f)));
      return allowed.length === 0 ? [] : [{ purpose, fields: allowed }];
    });
    return purposes.length === 0
      ? []
      : [{ id: dataset.id, title: dataset.declaration.title, purposes }];
  });
}

async function probe(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}
