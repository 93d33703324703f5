// The baseline of the query benchmark: a bare Fastify route over plain HTTP answering the same
// lookups through the same DistributionCopy.lookup (same SQL, pool and record parsing) and the
// same field projection, with no TLS, signature, rights or trail.
import Fastify from 'fastify';
import { openDistributionCopy, projectFields } from '../../packages/io-module/dist/index.js';
import { declaration } from './synthetic-income.mjs';

const FIELDS = declaration.purposes['child-benefit'].fields;

/** Starts the baseline on a free loopback port; resolves to { url, close }. */
export async function startBaseline(store) {
  const copy = await openDistributionCopy({ store, datasets: [declaration] });
  const app = Fastify({ bodyLimit: 1024 * 1024, keepAliveTimeout: 30_000 });

  app.post('/lookup', async (request) => {
    const { subjects } = request.body;
    const found = await copy.lookup(declaration.id, subjects);
    const version = String(found.version.id);
    const answers = subjects.map((subject) => {
      const records = found.records.get(`${subject.scheme}:${subject.id}`);
      if (!records) return { subject, status: 'not_found', version };
      return {
        subject,
        status: 'found',
        version,
        data: records.map((r) => projectFields(r, FIELDS)),
      };
    });
    return { version, answers };
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address();
  return {
    url: `http://127.0.0.1:${port}/lookup`,
    close: async () => {
      await app.close();
      return {};
    },
  };
}
