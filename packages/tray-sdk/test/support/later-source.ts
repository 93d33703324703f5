// A source that answers later, over real HTTP: a waiting room whose back office answers some subjects.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import type { Connector } from '../../src/connectors/connector.js';

export interface LaterServer {
  url: string;
  /** Request ids submitted, in order. */
  submitted: string[];
  close(): Promise<void>;
}

/**
 * Starts the waiting room. `POST /submit` takes `[{ rid, id }]` and answers `{ deadline }`
 * (`waitMs` from now); the back office answers the subjects in `answerFor` at once. `GET /answers`
 * returns every answer so far, on every call, so the Tray sees each answer many times.
 */
export async function startLaterServer(
  answerFor: Set<string>,
  waitMs: number,
): Promise<LaterServer> {
  const submitted: string[] = [];
  const outbox: { rid: string; balance: number }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/submit') {
        const items = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          rid: string;
          id: string;
        }[];
        for (const item of items) {
          submitted.push(item.rid);
          if (answerFor.has(item.id)) outbox.push({ rid: item.rid, balance: 100 });
        }
        res.end(JSON.stringify({ deadline: new Date(Date.now() + waitMs).toISOString() }));
        return;
      }
      res.end(JSON.stringify(outbox));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    submitted,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The connector of `custom` transports named `later`, with `options.url` of the waiting room. */
export function laterConnector(): Connector {
  const agent = new Agent();
  const urlOf = (options: unknown) => String((options as { url: string }).url);
  return {
    kind: 'later',
    async send(batch, context) {
      const transport = context.source.declaration.transport as { options?: unknown };
      const res = await request(`${urlOf(transport.options)}/submit`, {
        method: 'POST',
        body: JSON.stringify(batch.map((e) => ({ rid: e.requestId, id: e.subject.id }))),
        dispatcher: agent,
        signal: context.signal,
      });
      const { deadline } = (await res.body.json()) as { deadline: string };
      return batch.map((e) => ({ requestId: e.requestId, status: 'waiting' as const, deadline }));
    },
    async collect(source, { signal }) {
      const transport = source.declaration.transport as { options?: unknown };
      const res = await request(`${urlOf(transport.options)}/answers`, {
        dispatcher: agent,
        signal,
      });
      const answers = (await res.body.json()) as { rid: string; balance: number }[];
      return answers.map((a) => ({
        requestId: a.rid,
        status: 'found' as const,
        data: { balance: a.balance },
      }));
    },
    close: () => agent.close(),
  };
}
