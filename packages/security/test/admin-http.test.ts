// The admin HTTP API over real HTTPS with mutual TLS: dev PKI client certificates, the peer
// authenticated by authenticatePeer and mapped to principals by the store-backed directory.

import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@interop-blocks/core/testing';
import {
  authenticatePeer,
  createDevPki,
  createStorePrincipalDirectory,
  mtlsClientOptions,
  mtlsServerOptions,
  PeerChainCache,
  rightsAdminPlugin,
} from '../src/index.js';
import type { DevIssued, DevPki } from '../src/index.js';
import { parseCertificate, type Certificate } from '../src/pki/certificate.js';
import { parseCrl } from '../src/pki/crl.js';
import { CertificateValidator } from '../src/pki/validate-path.js';
import { ask, byAdmin, openRightsWorld, type RightsWorld } from './support/rights-kit.js';

let pki: DevPki;
let strangers: DevPki;
let root: Certificate;

beforeAll(async () => {
  pki = await createDevPki({
    organisations: [
      { name: 'Ministry Test', id: 'ministry' },
      { name: 'Centre Test', id: 'centre' },
    ],
  });
  strangers = await createDevPki({ organisations: [{ name: 'Ministry Test', id: 'ministry' }] });
  root = parseCertificate(pki.root.certPem);
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

describe.each(testBackends())('admin HTTP API on %s', (backend) => {
  let w: RightsWorld;
  let app: FastifyInstance;
  let base: string;
  const agents: Agent[] = [];

  const agentFor = (client?: DevIssued, anchors: Certificate[] = [root]): Agent => {
    const agent = client
      ? new Agent({
          connect: mtlsClientOptions({
            key: client.key,
            certificateChain: client.chainPem,
            trustAnchors: anchors,
          }),
        })
      : new Agent({ connect: { ca: pki.trustAnchorPem } });
    agents.push(agent);
    return agent;
  };
  let asMinistry: Agent;
  let asCentre: Agent;

  const call = async (
    agent: Agent,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'interop-official': 'admin-1' },
  ): Promise<Reply> => {
    const raw =
      typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
    const res = await request(`${base}${path}`, {
      method,
      dispatcher: agent,
      body: raw,
      headers: { ...headers, ...(raw === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };

  beforeAll(async () => {
    w = await openRightsWorld(backend);
    const ministry = pki.organisation('ministry');
    await w.admin.registerOrganisation(
      { id: 'ministry', name: 'Ministry', organizationIdentifier: ministry.organizationIdentifier },
      { by: { principal: 'bootstrap' }, reason: 'first administrator' },
    );
    await w.admin.grant(
      {
        principalId: 'ministry',
        action: 'administer',
        source: 'security.rights',
        purposes: ['rights-administration'],
      },
      { by: { principal: 'bootstrap' }, reason: 'first administrator' },
    );
    await w.admin.registerOrganisation(
      {
        id: 'centre',
        name: 'Centre',
        organizationIdentifier: pki.organisation('centre').organizationIdentifier,
      },
      byAdmin,
    );

    const validator = new CertificateValidator({
      trustAnchors: [root],
      crls: [parseCrl(pki.crl.der), parseCrl(pki.rootCrl.der)],
    });
    const directory = createStorePrincipalDirectory(w.rights);
    // Resumed TLS sessions present the leaf only; the cache completes their chains.
    const chainCache = new PeerChainCache();
    const server = ministry.server;
    app = Fastify({
      https: mtlsServerOptions({
        key: server.key,
        certificateChain: server.chainPem,
        trustAnchors: [root],
        refuseAt: 'application',
      }),
    });
    await app.register(rightsAdminPlugin, {
      prefix: '/admin',
      rights: w.rights,
      legalBasis: 'Rules on access rights, art. 3',
      resolvePrincipal: async (req) => {
        const peer = await authenticatePeer(req.raw.socket, {
          validator,
          resolvePrincipal: (cert) => directory.lookup(cert),
          chainCache,
        });
        const official = req.headers['interop-official'];
        return {
          principal: peer.principal.id,
          official: typeof official === 'string' ? official : '',
        };
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    asMinistry = agentFor(ministry.client);
    asCentre = agentFor(pki.organisation('centre').client);
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await app.close();
    await w.close();
  });

  it('runs every operation, each with its status', async () => {
    const reason = 'onboarding ticket 17';
    const org = await call(asMinistry, 'POST', '/admin/organisations', {
      id: 'zrsz',
      name: 'Employment Service',
      organizationIdentifier: 'VATSI-20000002',
      reason,
    });
    expect(org).toMatchObject({
      status: 201,
      body: { id: 'zrsz', kind: 'organisation', version: 1 },
    });
    const appReply = await call(asMinistry, 'POST', '/admin/applications', {
      id: 'zrsz-app',
      organisationId: 'zrsz',
      name: 'Benefits system',
      certificates: [{ issuer: 'CN=Some CA', serialNumber: '0AFF' }],
      reason,
    });
    expect(appReply).toMatchObject({
      status: 201,
      body: { certificates: [{ serialNumber: 'aff' }] },
    });
    expect(
      await call(asMinistry, 'POST', '/admin/users', {
        id: 'zrsz-u1',
        organisationId: 'zrsz',
        name: 'Official',
        officialId: 'u1',
        reason,
      }),
    ).toMatchObject({ status: 201, body: { kind: 'user', officialId: 'u1' } });
    expect(
      await call(asMinistry, 'POST', '/admin/roles', { id: 'readers', name: 'Readers', reason }),
    ).toMatchObject({
      status: 201,
      body: { kind: 'role' },
    });

    const assignment = await call(asMinistry, 'POST', '/admin/role-assignments', {
      roleId: 'readers',
      memberId: 'zrsz',
      reason,
    });
    expect(assignment).toMatchObject({
      status: 201,
      body: { roleId: 'readers', memberId: 'zrsz', status: 'active' },
    });
    const right = await call(asMinistry, 'POST', '/admin/rights', {
      principalId: 'readers',
      action: 'query',
      source: 'furs.*',
      purposes: ['child-benefit'],
      fields: ['income'],
      validFrom: new Date(w.clock.now()).toISOString(),
      reason,
    });
    expect(right).toMatchObject({
      status: 201,
      body: { source: 'furs.*', fields: ['income'], status: 'active' },
    });
    const rightId = right.body.id as string;
    expect(await w.rights.authorize(ask('zrsz-app', 'furs.income'))).toMatchObject({
      allowed: true,
      fields: ['income'],
    });

    expect((await call(asMinistry, 'GET', '/admin/principals?kind=user')).body.principals).toEqual([
      expect.objectContaining({ id: 'zrsz-u1' }),
    ]);
    expect(await call(asMinistry, 'GET', '/admin/principals/zrsz')).toMatchObject({
      status: 200,
      body: { id: 'zrsz' },
    });
    expect(
      (await call(asMinistry, 'GET', '/admin/rights?principalId=readers')).body.rights,
    ).toHaveLength(1);
    expect(await call(asMinistry, 'GET', `/admin/rights/${rightId}`)).toMatchObject({
      status: 200,
      body: { id: rightId },
    });
    expect(
      (await call(asMinistry, 'GET', '/admin/role-assignments?roleId=readers')).body.assignments,
    ).toHaveLength(1);

    for (const how of ['suspend', 'resume', 'revoke']) {
      const reply = await call(asMinistry, 'POST', `/admin/rights/${rightId}/${how}`, {
        reason: `${how} it`,
      });
      expect(reply.status).toBe(200);
    }
    expect((await w.rights.authorize(ask('zrsz-app', 'furs.income'))).reason.code).toBe(
      'RIGHTS_RIGHT_REVOKED',
    );
    for (const how of ['suspend', 'resume', 'revoke']) {
      const reply = await call(asMinistry, 'POST', `/admin/principals/zrsz-u1/${how}`, {
        reason: `${how} it`,
      });
      expect(reply).toMatchObject({ status: 200 });
    }
    const cert = { issuer: 'CN=Other CA', serialNumber: '01', reason };
    expect(
      (await call(asMinistry, 'POST', '/admin/principals/zrsz-app/certificates', cert)).body
        .certificates,
    ).toHaveLength(2);
    expect(
      (await call(asMinistry, 'POST', '/admin/principals/zrsz-app/certificates/remove', cert)).body
        .certificates,
    ).toHaveLength(1);
    const assignmentId = assignment.body.id as string;
    expect(
      await call(asMinistry, 'POST', `/admin/role-assignments/${assignmentId}/revoke`, { reason }),
    ).toMatchObject({
      status: 200,
      body: { status: 'revoked' },
    });

    const history = await call(asMinistry, 'GET', `/admin/rights/${rightId}/history`);
    expect((history.body.changes as { change: string }[]).map((c) => c.change)).toEqual([
      'right.grant',
      'right.suspend',
      'right.resume',
      'right.revoke',
    ]);
    expect(
      (await call(asMinistry, 'GET', '/admin/principals/zrsz-u1/history')).body.changes,
    ).toHaveLength(4);
    expect(
      (await call(asMinistry, 'GET', `/admin/role-assignments/${assignmentId}/history`)).body
        .changes,
    ).toHaveLength(2);
    const changes = await call(asMinistry, 'GET', '/admin/changes?after=3&limit=2');
    expect((changes.body.changes as { generation: number }[]).map((c) => c.generation)).toEqual([
      4, 5,
    ]);
  });

  it('records every change with the administrator who made it', async () => {
    const reply = await call(
      asMinistry,
      'POST',
      '/admin/organisations',
      { id: 'kdd', name: 'Securities depository', reason: 'agreement 2026/9' },
      { 'interop-official': 'admin-9' },
    );
    expect(reply.status).toBe(201);

    const history = await w.admin.history('kdd');
    expect(history[0]).toMatchObject({
      by: { principal: 'ministry', official: 'admin-9' },
      reason: 'agreement 2026/9',
    });
    const records = await w.records('ministry');
    expect(records.at(-1)).toMatchObject({
      action: 'administer',
      principal: 'ministry',
      official: 'admin-9',
      source: 'security.rights',
      details: { change: 'principal.register', entityId: 'kdd', reason: 'agreement 2026/9' },
    });
    // The authorization of the request is trailed before the change.
    expect(records.at(-2)).toMatchObject({
      action: 'authorize',
      decision: 'allowed',
      purpose: 'rights-administration',
      legalBasis: 'Rules on access rights, art. 3',
      details: { requestedAction: 'administer' },
    });
  });

  it('refuses a caller without the administer right with 403 and trails the refusal', async () => {
    const reply = await call(asCentre, 'POST', '/admin/organisations', {
      name: 'Sneaky',
      reason: 'x',
    });
    expect(reply).toEqual({
      status: 403,
      body: { code: 'RIGHTS_NO_RIGHT', message: expect.any(String) },
    });
    expect((await call(asCentre, 'GET', '/admin/principals')).status).toBe(403);

    const records = await w.records('centre');
    expect(records.at(-1)).toMatchObject({
      action: 'authorize',
      decision: 'refused',
      reasonCode: 'RIGHTS_NO_RIGHT',
    });
    expect((await w.admin.listPrincipals()).some((p) => p.name === 'Sneaky')).toBe(false);
  });

  it('refuses a caller without certificate, of an unknown CA, or naming no official', async () => {
    const none = await call(agentFor(), 'GET', '/admin/principals');
    expect(none).toMatchObject({
      status: 401,
      body: { code: 'RIGHTS_UNAUTHENTICATED', context: { cause: 'TLS_NO_CERTIFICATE' } },
    });
    const stranger = await call(
      agentFor(strangers.organisation('ministry').client),
      'GET',
      '/admin/principals',
    );
    expect(stranger).toMatchObject({
      status: 401,
      body: { code: 'RIGHTS_UNAUTHENTICATED', context: { cause: 'TLS_CERT_UNTRUSTED' } },
    });
    const noOfficial = await call(asMinistry, 'GET', '/admin/principals', undefined, {});
    expect(noOfficial).toMatchObject({ status: 403, body: { code: 'RIGHTS_OFFICIAL_MISSING' } });
  });

  it('answers malformed JSON and wrong types with coded 4xx, writing nothing', async () => {
    const before = (await w.admin.changes({ limit: 1000 })).length;
    const post = (path: string, body: unknown) => call(asMinistry, 'POST', `/admin${path}`, body);
    const grant = {
      principalId: 'centre',
      action: 'query',
      source: 'furs.income',
      purposes: ['child-benefit'],
      reason: 'r',
    };

    expect(await post('/organisations', '{"name": "Broken",')).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID' },
    });
    expect(await post('/organisations', '')).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID' },
    });
    expect(await post('/organisations', [])).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID' },
    });
    expect(await post('/organisations', { name: 123, reason: 'r' })).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID', context: { field: 'body/name' } },
    });
    expect(await post('/rights', { ...grant, purposes: 42 })).toMatchObject({
      status: 400,
      body: { context: { field: 'body/purposes' } },
    });
    expect(await post('/rights', { ...grant, purposes: [7] })).toMatchObject({
      status: 400,
      body: { context: { field: 'body/purposes/0' } },
    });
    expect(await post('/rights', { ...grant, admin: true })).toMatchObject({
      status: 400,
      body: { context: { field: 'body/admin' } },
    });
    expect(await post('/rights', { ...grant, reason: undefined })).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID' },
    });
    expect(await post('/rights', { ...grant, action: 'delete' })).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID' },
    });
    expect(await post('/rights', { ...grant, source: 'furs.in*' })).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_PATTERN_INVALID' },
    });
    expect(await post('/rights', { ...grant, validUntil: 'not a time' })).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID' },
    });
    expect(await post('/rights', { ...grant, principalId: 'nobody' })).toMatchObject({
      status: 404,
      body: { code: 'RIGHTS_NOT_FOUND' },
    });
    expect(await post('/organisations', { id: 'centre', name: 'Twin', reason: 'r' })).toMatchObject(
      {
        status: 409,
        body: { code: 'RIGHTS_DUPLICATE' },
      },
    );
    expect(await post('/principals/centre/resume', { reason: 'r' })).toMatchObject({
      status: 409,
      body: { code: 'RIGHTS_TRANSITION_INVALID' },
    });
    expect(await post('/principals/bad%20id/suspend', { reason: 'r' })).toMatchObject({
      status: 400,
    });
    expect(await call(asMinistry, 'GET', '/admin/changes?limit=abc')).toMatchObject({
      status: 400,
      body: { code: 'RIGHTS_INPUT_INVALID' },
    });
    expect(await call(asMinistry, 'GET', '/admin/rights/nothing-here')).toMatchObject({
      status: 404,
      body: { code: 'RIGHTS_NOT_FOUND' },
    });

    expect((await w.admin.changes({ limit: 1000 })).length).toBe(before);
  });
});
