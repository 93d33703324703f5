// A real IO-Module server (from @interop-blocks/io-module) with one loaded dataset, for the tests.

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { openTestStore, type TestStore } from '@interop-blocks/core/testing';
import {
  JwsSigner,
  JwsVerifier,
  createKeySigner,
  createRightsAdmin,
  createStorePrincipalDirectory,
  openRights,
  openTrail,
  parseCertificates,
  type Trail,
} from '@interop-blocks/security';
import {
  IoQueryService,
  createIoServer,
  openDistributionCopy,
  type DatasetDeclaration,
  type IoServer,
} from '@interop-blocks/io-module';
import { emso, type ConnectorWorld } from './connector-world.js';

export const incomeDataset: DatasetDeclaration = {
  id: 'furs.income',
  title: 'Income by month',
  owner: 'VATSI-10000005',
  subjectKeys: [{ scheme: 'emso', field: 'emso' }],
  recordSchema: {
    type: 'object',
    properties: {
      emso: { type: 'string' },
      month: { type: 'string' },
      amount: { type: 'number' },
    },
    required: ['emso', 'month', 'amount'],
    additionalProperties: false,
  },
  purposes: { 'child-benefit': { fields: ['month', 'amount'] } },
};

export interface IoSource {
  server: IoServer;
  close(): Promise<void>;
}

/** Starts an IO-Module over mutual TLS serving persons 1..5, the centre allowed `furs.*`. */
export async function startIoSource(world: ConnectorWorld): Promise<IoSource> {
  const t: TestStore = await openTestStore('sqlite');
  const owner = world.pki.organisation('owner');
  const trail: Trail = await openTrail({
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
  const centre = world.pki.organisation('centre');
  const change = { by: { principal: 'owner', official: 'admin-1' }, reason: 'test' };
  await admin.registerOrganisation(
    { id: 'centre', name: centre.name, organizationIdentifier: centre.organizationIdentifier },
    change,
  );
  await admin.grant(
    { principalId: 'centre', action: 'query', source: 'furs.*', purposes: ['child-benefit'] },
    change,
  );
  const directory = createStorePrincipalDirectory(rights);

  const copy = await openDistributionCopy({ store: t.store, datasets: [incomeDataset] });
  const lines = [1, 2, 3, 4, 5]
    .map((n) => JSON.stringify({ emso: emso(n), month: '2025-01', amount: 1000 + n }))
    .join('\n');
  await copy.load('furs.income', Readable.from([`${lines}\n`]), { format: 'ndjson' });

  const ownerChain = parseCertificates(owner.client.chainPem);
  const service = new IoQueryService({
    copy,
    rights,
    trail,
    signer: new JwsSigner({ key: owner.client.key, certificateChain: ownerChain }),
    verifier: new JwsVerifier({
      validator: world.validator,
      resolvePrincipal: (cert) => directory.lookup(cert),
    }),
  });
  const server = await createIoServer({
    service,
    tls: world.serverTls,
    validator: world.validator,
    resolvePrincipal: (cert) => directory.lookup(cert),
  });

  return {
    server,
    async close() {
      await server.close();
      await trail.close();
      await t.cleanup();
    },
  };
}
