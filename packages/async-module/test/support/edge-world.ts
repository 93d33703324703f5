// Test world of the edges: a dev PKI, rights, trail, real waiting rooms, and a real HTTPS server
// with mutual TLS serving the HTTP API, the file exchange and the clerk page.

import { randomBytes } from 'node:crypto';
import {
  ManualClock,
  emsoWithCheckDigit,
  newId,
  type Backend,
  type QueryEnvelope,
} from '@interop-blocks/core';
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
  type Principal,
  type Trail,
} from '@interop-blocks/security';
import { Agent, request } from 'undici';
import {
  createAsyncServer,
  openWaitingRooms,
  registerClerkPage,
  registerFileRoutes,
  type AsyncServer,
  type RoomDeclaration,
  type WaitingRooms,
} from '../../src/index.js';

export const ROOM_A = 'bank.a.balances';
export const ROOM_B = 'bank.b.balances';
const by = { principal: 'hub', official: 'admin-1' };

/** The answer schema of the bank rooms (drives the clerk's form). */
export const balanceSchema = {
  type: 'object',
  properties: {
    balance: { type: 'number', title: 'Balance' },
    currency: { type: 'string', title: 'Currency', enum: ['EUR', 'USD'] },
    asOf: { type: 'string', title: 'As of', format: 'date' },
  },
  required: ['balance', 'currency'],
  additionalProperties: false,
};

export const declarations: RoomDeclaration[] = [
  { id: ROOM_A, owner: 'bank-a', answerSchema: balanceSchema, defaultDeadlineMs: 36_000_000 },
  { id: ROOM_B, owner: 'bank-b', answerSchema: balanceSchema, defaultDeadlineMs: 36_000_000 },
];

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  raw: Buffer;
  signature: string | undefined;
}

export interface EdgeWorld {
  t: TestStore;
  pki: DevPki;
  clock: ManualClock;
  rooms: WaitingRooms;
  trail: Trail;
  server: AsyncServer;
  root: ReturnType<typeof parseCertificate>;
  validator: CertificateValidator;
  hubSigner: JwsSigner;
  identity(org: string): DevIssued;
  agent(identity?: DevIssued): Agent;
  /** POSTs a JSON body signed by `as` (default the connected identity) over mutual TLS. */
  post(path: string, body: unknown, options?: PostOptions): Promise<Reply>;
  get(path: string, options?: { as?: string }): Promise<Reply>;
  query(n: number, overrides?: Partial<QueryEnvelope>): QueryEnvelope;
  close(): Promise<void>;
}

export interface PostOptions {
  as?: string;
  signAs?: string;
  signature?: string | null;
  contentType?: string;
  raw?: Buffer;
}

/** Builds the world on `backend`. */
export async function createEdgeWorld(backend: Backend): Promise<EdgeWorld> {
  const clock = new ManualClock(Date.now());
  const pki = await createDevPki({
    organisations: [
      { name: 'Hub Test', id: 'hub' },
      { name: 'Centre for Social Work Test', id: 'centre' },
      { name: 'Bank A Test', id: 'bank-a' },
      { name: 'Bank B Test', id: 'bank-b' },
      { name: 'Unregistered Body', id: 'stranger' },
    ],
  });
  const root = parseCertificate(pki.root.certPem);
  const validator = new CertificateValidator({
    trustAnchors: [root],
    crls: [parseCrl(pki.crl.der), parseCrl(pki.rootCrl.der)],
  });
  const hub = pki.organisation('hub').client;

  const t = await openTestStore(backend);
  const trail = await openTrail({
    store: t.store,
    name: 'async-module',
    subjectKeys: {
      hmacKeys: [{ id: 'h1', key: randomBytes(32) }],
      masterKeys: [{ id: 'm1', key: randomBytes(32) }],
    },
    signer: createKeySigner({ privateKey: hub.key, certificateChainPem: hub.chainPem }),
    batch: { maxDelayMs: 1 },
  });
  const rights = await openRights({ store: t.store, trail, changeCheckIntervalMs: 0 });
  const admin = createRightsAdmin(rights);
  for (const id of ['centre', 'bank-a', 'bank-b']) {
    const org = pki.organisation(id);
    await admin.registerOrganisation(
      { id, name: org.name, organizationIdentifier: org.organizationIdentifier },
      { by, reason: 'test' },
    );
  }
  const purposes = ['child-benefit'];
  await admin.grant(
    {
      principalId: 'centre',
      action: 'query',
      source: 'bank.*',
      purposes: [...purposes, 'rent-subsidy'],
      fields: '*',
    },
    { by, reason: 'ZUPJS art. 5' },
  );
  for (const [bank, room] of [
    ['bank-a', ROOM_A],
    ['bank-b', ROOM_B],
  ] as const) {
    await admin.grant(
      { principalId: bank, action: 'answer', source: room, purposes, fields: '*' },
      { by, reason: 'ZUPJS art. 5' },
    );
  }
  const directory = createStorePrincipalDirectory(rights);
  const resolvePrincipal = (cert: ReturnType<typeof parseCertificate>) => directory.lookup(cert);

  const rooms = await openWaitingRooms({
    store: t.store,
    trail,
    clock,
    rooms: declarations,
    groups: { banks: [ROOM_A, ROOM_B] },
  });
  const hubSigner = new JwsSigner({
    key: hub.key,
    certificateChain: parseCertificates(hub.chainPem),
  });
  const access = { rooms, declarations, groups: { banks: [ROOM_A, ROOM_B] }, rights };
  const server = await createAsyncServer({
    ...access,
    signer: hubSigner,
    verifier: new JwsVerifier<Principal>({ validator, resolvePrincipal }),
    tls: {
      key: pki.organisation('hub').server.key,
      certificateChain: pki.organisation('hub').server.chainPem,
      trustAnchors: [root],
    },
    validator,
    resolvePrincipal,
    bodyLimit: 256 * 1024,
    extend: async (app, authenticate) => {
      await app.register(async (scope) =>
        registerFileRoutes(scope, {
          access,
          authenticate,
          signing: { privateKey: hub.key, certificates: parseCertificates(hub.chainPem) },
          trust: validator,
          resolvePrincipal,
        }),
      );
      await app.register(async (scope) =>
        registerClerkPage(scope, { access, authenticate, clock }),
      );
    },
  });

  const agents = new Map<DevIssued, Agent>();
  const identity = (org: string) => pki.organisation(org).client;
  const agent = (who: DevIssued = identity('centre')): Agent => {
    let a = agents.get(who);
    if (!a) {
      a = new Agent({
        connect: mtlsClientOptions({
          key: who.key,
          certificateChain: who.chainPem,
          trustAnchors: [root],
        }),
      });
      agents.set(who, a);
    }
    return a;
  };
  const signers = new Map<string, JwsSigner>();
  const signerOf = (org: string): JwsSigner => {
    let s = signers.get(org);
    if (!s) {
      const who = identity(org);
      s = new JwsSigner({ key: who.key, certificateChain: parseCertificates(who.chainPem) });
      signers.set(org, s);
    }
    return s;
  };

  const send = async (
    method: 'GET' | 'POST',
    path: string,
    as: string,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const res = await request(`${server.url}${path}`, {
      method,
      dispatcher: agent(identity(as)),
      headers,
      body,
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
    const sig = res.headers['x-interop-signature'];
    return {
      status: res.statusCode,
      body: parsed,
      raw,
      signature: typeof sig === 'string' ? sig : undefined,
    };
  };

  return {
    t,
    pki,
    clock,
    rooms,
    trail,
    server,
    root,
    validator,
    hubSigner,
    identity,
    agent,
    async post(path, body, o = {}) {
      const as = o.as ?? 'centre';
      const raw = o.raw ?? Buffer.from(JSON.stringify(body));
      const messageId = (body as { messageId?: unknown } | null)?.messageId;
      const signature =
        o.signature === undefined
          ? await signerOf(o.signAs ?? as).signRequest(raw, {
              requestId: typeof messageId === 'string' ? messageId : newId(),
            })
          : o.signature;
      const headers: Record<string, string> = {
        'content-type': o.contentType ?? 'application/json',
      };
      if (signature !== null) headers['x-interop-signature'] = signature;
      return send('POST', path, as, raw, headers);
    },
    get: (path, o = {}) => send('GET', path, o.as ?? 'centre'),
    query(n, overrides = {}) {
      return {
        requestId: newId(),
        issuedAt: new Date(clock.now()).toISOString(),
        source: ROOM_A,
        subject: {
          scheme: 'emso',
          id: emsoWithCheckDigit(`010199050${String(n % 1000).padStart(3, '0')}`)!,
        },
        purpose: 'child-benefit',
        legalBasis: 'ZUPJS art. 5',
        case: `CSD-2026-${String(n).padStart(4, '0')}`,
        organisation: 'centre',
        official: 'official-7',
        ...overrides,
      };
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
      await server.close();
      await rooms.close();
      await trail.close();
      await t.cleanup();
    },
  };
}
