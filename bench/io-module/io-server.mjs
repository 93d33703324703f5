// The measured server of the query benchmark, assembled as an agency would: a development PKI,
// the trail and the rights registry on the copy's store (one registered consumer with a grant),
// IoQueryService and createIoServer (mutual TLS, JWS on queries and answers). Writes what the
// client needs (its key and chain, the trust anchor and CRLs) to `dir/client.json`.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import {
  CertificateValidator,
  JwsSigner,
  JwsVerifier,
  createDevPki,
  createKeySigner,
  createRightsAdmin,
  createStorePrincipalDirectory,
  openRights,
  openTrail,
  parseCertificate,
  parseCertificates,
  parseCrl,
} from '../../packages/security/dist/index.js';
import {
  IoQueryService,
  createIoServer,
  openDistributionCopy,
} from '../../packages/io-module/dist/index.js';
import { declaration } from './synthetic-income.mjs';

const by = { principal: 'owner', official: 'bench-admin' };

async function trailRecords(store) {
  const { rows } = await sql`select count(*) as n from trail_records`.execute(store.db());
  return Number(rows[0].n);
}

/** Starts the full server on a free loopback port; resolves to { url, close }. */
export async function startIoServer(store, dir) {
  const pki = await createDevPki({
    organisations: [
      { name: 'Tax Administration Bench', id: 'owner' },
      { name: 'Centre for Social Work Bench', id: 'centre' },
    ],
  });
  const root = parseCertificate(pki.root.certPem);
  const crls = [pki.crl.der, pki.rootCrl.der];
  const validator = new CertificateValidator({ trustAnchors: [root], crls: crls.map(parseCrl) });
  const owner = pki.organisation('owner');

  const trail = await openTrail({
    store,
    name: 'io-module',
    subjectKeys: {
      hmacKeys: [{ id: 'h1', key: randomBytes(32) }],
      masterKeys: [{ id: 'm1', key: randomBytes(32) }],
    },
    signer: createKeySigner({
      privateKey: owner.client.key,
      certificateChainPem: owner.client.chainPem,
    }),
  });
  const rights = await openRights({ store, trail });
  const admin = createRightsAdmin(rights);
  const centre = pki.organisation('centre');
  await admin.registerOrganisation(
    { id: 'centre', name: centre.name, organizationIdentifier: centre.organizationIdentifier },
    { by, reason: 'benchmark' },
  );
  await admin.grant(
    {
      principalId: 'centre',
      action: 'query',
      source: 'furs.*',
      purposes: ['child-benefit'],
      fields: ['month', 'amount', 'kind'],
    },
    { by, reason: 'ZUPJS art. 5' },
  );
  const directory = createStorePrincipalDirectory(rights);
  const resolvePrincipal = (cert) => directory.lookup(cert);

  const copy = await openDistributionCopy({ store, datasets: [declaration] });
  const service = new IoQueryService({
    copy,
    rights,
    trail,
    signer: new JwsSigner({
      key: owner.client.key,
      certificateChain: parseCertificates(owner.client.chainPem),
    }),
    verifier: new JwsVerifier({ validator, resolvePrincipal }),
  });
  const server = await createIoServer({
    service,
    tls: { key: owner.server.key, certificateChain: owner.server.chainPem, trustAnchors: [root] },
    validator,
    resolvePrincipal,
  });

  writeFileSync(
    join(dir, 'client.json'),
    JSON.stringify({
      keyPem: centre.client.keyPem,
      chainPem: centre.client.chainPem,
      rootPem: pki.root.certPem,
      crls: crls.map((der) => Buffer.from(der).toString('base64')),
    }),
    { mode: 0o600 },
  );
  const trailedBefore = await trailRecords(store);
  return {
    url: `${server.url}/io/v1/${declaration.id}/query`,
    close: async () => {
      await server.close();
      await trail.close();
      return { trailed: (await trailRecords(store)) - trailedBefore };
    },
  };
}
