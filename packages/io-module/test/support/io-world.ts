// Test world for the query service: a dev PKI, a store with rights and trail, a loaded copy, and a
// real HTTPS server with mutual TLS; plus a consumer that signs its queries.

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { newId, type Backend } from '@interop-blocks/core';
import { openTestStore, type TestStore } from '@interop-blocks/core/testing';
import {
  CertificateValidator,
  JwsSigner,
  JwsVerifier,
  createDevPki,
  createKeySigner,
  createRightsAdmin,
  createStorePrincipalDirectory,
  mtlsClientOptions,
  openRights,
  openTrail,
  parseCertificate,
  parseCertificates,
  parseCrl,
  type DevIssued,
  type DevPki,
  type RightsAdmin,
  type Trail,
} from '@interop-blocks/security';
import { Agent, request } from 'undici';
import {
  IoQueryService,
  createIoServer,
  openDistributionCopy,
  type IoServer,
  type RateLimit,
} from '../../src/index.js';
import { emso, incomeDeclaration, incomeNdjson } from '../fixtures/income-dataset.js';

const DAY = 86_400_000;

export interface IoWorld {
  t: TestStore;
  pki: DevPki;
  server: IoServer;
  /** How many times the server looked up a TLS client's principal. */
  peerLookups(): number;
  trail: Trail;
  admin: RightsAdmin;
  /** A client of the centre, or of another identity. */
  agent(identity?: DevIssued): Agent;
  /** Sends a query signed by `signer` (default the centre's client certificate). */
  query(body: unknown, options?: QueryCallOptions): Promise<QueryReply>;
  /** Verifies an answer's signature as the consumer would. */
  verifyAnswer(reply: QueryReply, requestBody: Buffer): Promise<unknown>;
  /** Posts a SOAP envelope (as given: sign it first) to the dataset's SOAP endpoint. */
  soapQuery(envelope: string | Buffer, options?: SoapCallOptions): Promise<SoapReply>;
  /** The validator of client chains, also the consumers' trust in answers. */
  validator: CertificateValidator;
  close(): Promise<void>;
}

export interface SoapCallOptions {
  dataset?: string;
  agent?: Agent;
  contentType?: string;
  method?: 'POST' | 'GET';
  path?: string;
}

export interface SoapReply {
  status: number;
  contentType: string | undefined;
  raw: Buffer;
  requestBody: Buffer;
}

export interface QueryCallOptions {
  dataset?: string;
  signWith?: DevIssued;
  agent?: Agent;
  contentType?: string;
  rawBody?: Buffer;
  signature?: string | null;
}

export interface QueryReply {
  status: number;
  body: Record<string, unknown>;
  raw: Buffer;
  signature: string | undefined;
  requestBody: Buffer;
}

export const by = { principal: 'owner', official: 'admin-1' };

/** A valid batch query of the centre for child benefit. */
export function queryBody(
  ns: number[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    requestId: newId(),
    issuedAt: new Date().toISOString(),
    source: 'furs.income',
    subjects: ns.map((n) => ({ scheme: 'emso', id: emso(n) })),
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    case: 'CSD-2026-0001',
    organisation: 'centre',
    official: 'official-7',
    ...overrides,
  };
}

export async function createIoWorld(
  backend: Backend,
  options: { rateLimit?: RateLimit } = {},
): Promise<IoWorld> {
  const now = Date.now();
  const pki = await createDevPki({
    organisations: [
      { name: 'Tax Administration Test', id: 'owner' },
      { name: 'Centre for Social Work Test', id: 'centre' },
      { name: 'Other Centre Test', id: 'other' },
      { name: 'Unregistered Body', id: 'stranger' },
    ],
    extras: [
      {
        name: 'expired-client',
        organisation: 'centre',
        extendedKeyUsage: ['clientAuth'],
        notBefore: new Date(now - 30 * DAY),
        notAfter: new Date(now - DAY),
      },
      { name: 'revoked-client', organisation: 'centre', extendedKeyUsage: ['clientAuth'] },
    ],
    revoke: ['revoked-client'],
  });
  const root = parseCertificate(pki.root.certPem);
  const validator = new CertificateValidator({
    trustAnchors: [root],
    crls: [parseCrl(pki.crl.der), parseCrl(pki.rootCrl.der)],
  });

  const t = await openTestStore(backend);
  const owner = pki.organisation('owner');
  const trail = await openTrail({
    store: t.store,
    name: 'io-module',
    subjectKeys: {
      hmacKeys: [{ id: 'h1', key: randomBytes(32) }],
      masterKeys: [{ id: 'm1', key: randomBytes(32) }],
    },
    signer: createKeySigner({
      privateKey: owner.client.key,
      certificateChainPem: owner.client.chainPem,
    }),
    batch: { maxDelayMs: 2 },
  });
  const rights = await openRights({ store: t.store, trail, changeCheckIntervalMs: 0 });
  const admin = createRightsAdmin(rights);
  for (const id of ['centre', 'other']) {
    const org = pki.organisation(id);
    await admin.registerOrganisation(
      { id, name: org.name, organizationIdentifier: org.organizationIdentifier },
      { by, reason: 'test' },
    );
  }
  await admin.grant(
    {
      principalId: 'centre',
      action: 'query',
      source: 'furs.*',
      purposes: ['child-benefit', 'rent-subsidy'],
      fields: ['month', 'amount', 'payer'],
    },
    { by, reason: 'ZUPJS art. 5' },
  );
  const directory = createStorePrincipalDirectory(rights);

  const copy = await openDistributionCopy({ store: t.store, datasets: [incomeDeclaration] });
  await copy.load('furs.income', Readable.from([incomeNdjson(20)]), {
    format: 'ndjson',
    label: '2026-12-01',
  });

  const ownerChain = parseCertificates(owner.client.chainPem);
  const service = new IoQueryService({
    copy,
    rights,
    trail,
    signer: new JwsSigner({ key: owner.client.key, certificateChain: ownerChain }),
    verifier: new JwsVerifier({ validator, resolvePrincipal: (cert) => directory.lookup(cert) }),
    soap: {
      trust: validator,
      resolvePrincipal: (cert) => directory.lookup(cert),
      privateKey: owner.client.key,
      certificates: ownerChain,
    },
    rateLimit: options.rateLimit,
  });
  const peers = { lookups: 0 };
  const server = await createIoServer({
    service,
    tls: { key: owner.server.key, certificateChain: owner.server.chainPem, trustAnchors: [root] },
    validator,
    resolvePrincipal: (cert) => {
      peers.lookups++;
      return directory.lookup(cert);
    },
    bodyLimit: 64 * 1024,
  });

  const agents: Agent[] = [];
  const agent = (identity: DevIssued = pki.organisation('centre').client): Agent => {
    const a = new Agent({
      connect: mtlsClientOptions({
        key: identity.key,
        certificateChain: identity.chainPem,
        trustAnchors: [root],
      }),
    });
    agents.push(a);
    return a;
  };
  const centreAgent = agent();
  const consumerVerifier = new JwsVerifier({ validator });
  const signers = new Map<DevIssued, JwsSigner>();
  const signerOf = (identity: DevIssued): JwsSigner => {
    let signer = signers.get(identity);
    if (!signer) {
      signer = new JwsSigner({
        key: identity.key,
        certificateChain: parseCertificates(identity.chainPem),
      });
      signers.set(identity, signer);
    }
    return signer;
  };

  return {
    t,
    pki,
    server,
    peerLookups: () => peers.lookups,
    trail,
    admin,
    agent,
    async query(body, o = {}) {
      const requestBody = o.rawBody ?? Buffer.from(JSON.stringify(body));
      const signer = o.signWith ?? pki.organisation('centre').client;
      const requestId =
        typeof (body as { requestId?: unknown })?.requestId === 'string'
          ? (body as { requestId: string }).requestId
          : newId();
      const signature =
        o.signature === undefined
          ? await signerOf(signer).signRequest(requestBody, { requestId })
          : o.signature;
      const headers: Record<string, string> = {
        'content-type': o.contentType ?? 'application/json',
      };
      if (signature !== null) headers['x-interop-signature'] = signature;
      const res = await request(`${server.url}/io/v1/${o.dataset ?? 'furs.income'}/query`, {
        method: 'POST',
        dispatcher: o.agent ?? centreAgent,
        headers,
        body: requestBody,
      });
      const raw = Buffer.from(await res.body.arrayBuffer());
      const sig = res.headers['x-interop-signature'];
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        parsed = { unparsable: raw.toString('utf8').slice(0, 200) };
      }
      return {
        status: res.statusCode,
        body: parsed,
        raw,
        signature: typeof sig === 'string' ? sig : undefined,
        requestBody,
      };
    },
    async verifyAnswer(reply, requestBody) {
      const requestId = (reply.body as { requestId: string }).requestId;
      return consumerVerifier.verifyAnswer(reply.signature ?? '', {
        body: reply.raw,
        requestId,
        requestBody,
      });
    },
    async soapQuery(envelope, o = {}) {
      const requestBody = Buffer.isBuffer(envelope) ? envelope : Buffer.from(envelope);
      const method = o.method ?? 'POST';
      const path = o.path ?? `/io/v1/${o.dataset ?? 'furs.income'}/soap`;
      const res = await request(`${server.url}${path}`, {
        method,
        dispatcher: o.agent ?? centreAgent,
        ...(method === 'POST'
          ? { headers: { 'content-type': o.contentType ?? 'text/xml; charset=utf-8' } }
          : {}),
        body: method === 'POST' ? requestBody : undefined,
      });
      const contentType = res.headers['content-type'];
      return {
        status: res.statusCode,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        raw: Buffer.from(await res.body.arrayBuffer()),
        requestBody,
      };
    },
    validator,
    async close() {
      await Promise.all(agents.map((a) => a.close()));
      await server.close();
      await trail.close();
      await t.cleanup();
    },
  };
}
