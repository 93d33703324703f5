// One undici Agent per source, sized to the source's concurrency, with the enquirer's TLS identity.

import { mtlsClientOptions, type MtlsIdentityOptions } from '@interop-blocks/security';
import { Agent } from 'undici';
import type { Source } from '../catalogue/define-catalogue.js';

/** How the pools connect: the enquirer's mutual TLS identity, or undici connect options. */
export interface PoolOptions {
  /** Client key, certificate chain and the trust anchors of servers (mutual TLS). */
  tls?: MtlsIdentityOptions;
  /** undici `connect` options or connector; overrides `tls` (e.g. security's `mtlsConnector`). */
  connect?: Agent.Options['connect'];
}

/** The connection pools of the connectors, one per source and concurrency. */
export class SourcePools {
  readonly #agents = new Map<string, Agent>();
  readonly #connect: Agent.Options['connect'];

  constructor(options: PoolOptions = {}) {
    this.#connect = options.connect ?? (options.tls ? mtlsClientOptions(options.tls) : undefined);
  }

  /** The Agent of `source`: `connections` = its concurrency; undici timeouts as a backstop. */
  agentFor(source: Source): Agent {
    const key = `${source.id}\u0000${source.limits.concurrency}\u0000${source.limits.timeoutMs}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new Agent({
        connections: source.limits.concurrency,
        headersTimeout: source.limits.timeoutMs,
        bodyTimeout: source.limits.timeoutMs,
        connect: this.#connect,
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** Closes every pool, letting requests in flight finish. */
  async close(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((agent) => agent.close()));
  }
}
