// A real HTTP server on port 0 whose sources misbehave on demand, counting requests by request id.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a source behaves. */
export type Behaviour =
  | 'ok'
  | 'not-found'
  | 'error'
  | 'hang'
  | 'hang-after-headers'
  | 'malformed'
  | 'schema-violating'
  | 'refuse';

/** The answer of a source that behaves: built from the query parameters. */
export type Answer = (params: URLSearchParams) => unknown;

export interface FaultServer {
  url: string;
  /** Requests per source and request id. */
  hits: Map<string, Map<string, number>>;
  /** The subject each request id asked about. */
  subjects: Map<string, string>;
  /** Answers of `source` leave after `ms` (a slow source). */
  delay(source: string, ms: number): void;
  behave(source: string, behaviour: Behaviour): void;
  answer(source: string, answer: Answer): void;
  /** Calls `listener` after every request is counted. */
  onHit(listener: () => void): () => void;
  /** Total requests to a source. */
  count(source: string): number;
  close(): Promise<void>;
}

/** Starts the server; paths are `/{source}`, the request id comes in `rid`. */
export async function startFaultServer(): Promise<FaultServer> {
  const behaviours = new Map<string, Behaviour>();
  const answers = new Map<string, Answer>();
  const hits = new Map<string, Map<string, number>>();
  const subjects = new Map<string, string>();
  const delays = new Map<string, number>();
  const listeners = new Set<() => void>();
  const open = new Set<ServerResponse>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const source = url.pathname.slice(1);
    const rid = url.searchParams.get('rid') ?? '';
    const perSource = hits.get(source) ?? new Map<string, number>();
    perSource.set(rid, (perSource.get(rid) ?? 0) + 1);
    hits.set(source, perSource);
    subjects.set(rid, url.searchParams.get('id') ?? '');
    for (const listener of listeners) listener();
    open.add(res);
    res.on('close', () => open.delete(res));

    const json = (status: number, body: unknown) => {
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const ms = delays.get(source) ?? 0;
      if (ms > 0) setTimeout(send, ms);
      else send();
    };
    switch (behaviours.get(source) ?? 'ok') {
      case 'ok':
        return json(200, (answers.get(source) ?? (() => ({})))(url.searchParams));
      case 'not-found':
        return json(404, { error: { code: 'NOT_FOUND' } });
      case 'error':
        return json(503, { error: { code: 'SOURCE_DOWN_FOR_MAINTENANCE' } });
      case 'refuse':
        return json(403, { error: { code: 'NO_RIGHT' } });
      case 'hang':
        return;
      case 'hang-after-headers':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"items":');
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"items": [');
      case 'schema-violating':
        return json(200, { items: [{ amount: 'a lot' }] });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    subjects,
    delay: (source, ms) => delays.set(source, ms),
    onHit: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    behave: (source, behaviour) => behaviours.set(source, behaviour),
    answer: (source, answer) => answers.set(source, answer),
    count: (source) => [...(hits.get(source)?.values() ?? [])].reduce((a, b) => a + b, 0),
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
