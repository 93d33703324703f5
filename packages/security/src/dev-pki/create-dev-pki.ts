// Creates the development PKI in memory: root, intermediate, organisations, seal, person, CRLs.

import { SecurityError } from '../errors.js';
import type { DevSubject } from './build-name.js';
import { generateDevKeyPair, type DevKeyPair } from './crypto-engine.js';
import { randomPersonSerial } from './dev-identifiers.js';
import type { DevOrganisation, DevPki, DevPkiOptions } from './dev-pki-options.js';
import { issueExtra } from './issue-extra.js';
import {
  asAuthority,
  issueCertificate,
  type DevAuthority,
  type DevIssued,
} from './issue-certificate.js';
import { issueCrl, type DevCrl } from './issue-crl.js';
import {
  clientExtensions,
  intermediateExtensions,
  personExtensions,
  rootExtensions,
  sealExtensions,
  serverExtensions,
  type RevocationPointers,
} from './profiles.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';

const CA_ORGANISATION = 'Interop Blocks Development PKI (not for production)';

/**
 * Creates a development PKI in memory: a root CA, an intermediate CA, a TLS server and a TLS client
 * certificate for each organisation, a qualified-looking electronic seal and personal signing
 * certificate, and CRLs. For demos and tests only: nothing it issues is trustworthy.
 *
 * @param options See {@link DevPkiOptions}; all optional.
 * @throws SecurityError `DEVPKI_OPTIONS_INVALID` (bad option), `DEVPKI_NAME_UNKNOWN` (revoking or
 *   sealing for a certificate or organisation that is not issued), `DEVPKI_ISSUE_FAILED`.
 * @example
 * ```ts
 * const pki = await createDevPki({ organisations: [{ name: 'Example Centre', id: 'centre' }] });
 * const server = https.createServer({
 *   key: pki.organisation('centre').server.keyPem,
 *   cert: pki.organisation('centre').server.chainPem,
 *   ca: pki.trustAnchorPem,
 *   requestCert: true,
 * });
 * ```
 */
export async function createDevPki(options: DevPkiOptions = {}): Promise<DevPki> {
  const o = resolveOptions(options);
  const keys = await generateKeys(o);
  const take = (name: string): DevKeyPair => keys.get(name)!;

  const root = await issueCa(o, 'root', take('root'));
  const intermediate = await issueCa(o, 'intermediate', take('intermediate'), root);
  const leafPointers: RevocationPointers = {
    crlUrl: o.crlBaseUrl && `${o.crlBaseUrl}/intermediate.crl`,
    ocspUrl: o.ocspUrl,
  };

  const leaf = (name: string, subject: DevSubject, extensions: ReturnType<typeof rootExtensions>) =>
    issueCertificate({
      name,
      subject,
      keys: take(name),
      issuer: intermediate,
      notBefore: o.leafNotBefore,
      notAfter: o.leafNotAfter,
      extensions,
    });

  const organisations: DevOrganisation[] = [];
  for (const org of o.organisations) {
    const owner = {
      organisationName: org.name,
      organizationIdentifier: org.organizationIdentifier,
    };
    const [server, client] = await Promise.all([
      leaf(
        `${org.id}-server`,
        { ...owner, commonName: org.dnsNames[0] ?? `${org.name} server` },
        serverExtensions(o.keyAlgorithm, org.dnsNames, org.ipAddresses, leafPointers),
      ),
      leaf(
        `${org.id}-client`,
        { ...owner, commonName: `${org.name} client` },
        clientExtensions(o.keyAlgorithm, leafPointers),
      ),
    ]);
    organisations.push({ ...org, server, client });
  }

  const sealOwner = o.sealOrganisation;
  const person = options.person ?? {};
  const givenName = person.givenName ?? 'Testna';
  const surname = person.surname ?? 'Oseba';
  const [seal, personal] = await Promise.all([
    leaf(
      'seal',
      {
        organisationName: sealOwner.name,
        organizationIdentifier: sealOwner.organizationIdentifier,
        commonName: `${sealOwner.name} e-seal`,
      },
      sealExtensions(o.pdsUrl, leafPointers),
    ),
    leaf(
      'person',
      {
        givenName,
        surname,
        serialNumber: person.serialNumber ?? randomPersonSerial(),
        commonName: `${givenName} ${surname}`,
      },
      personExtensions(o.pdsUrl, leafPointers),
    ),
  ]);

  const extras: Record<string, DevIssued> = {};
  for (const extra of o.extras) {
    const issuer = extra.issuer === 'root' ? root : intermediate;
    extras[extra.name] = await issueExtra(extra, o, take(extra.name), issuer);
  }

  const issued = new Map<string, DevIssued>();
  for (const item of [root.issued, intermediate.issued, seal, personal, ...Object.values(extras)]) {
    issued.set(item.name, item);
  }
  for (const org of organisations) {
    issued.set(org.server.name, org.server);
    issued.set(org.client.name, org.client);
  }

  const { crl, rootCrl } = await issueCrls(o, issued, root, intermediate);
  return {
    keyAlgorithm: o.keyAlgorithm,
    root: root.issued,
    intermediate: intermediate.issued,
    organisations,
    seal,
    person: personal,
    extras,
    crl,
    rootCrl,
    issued,
    trustAnchorPem: root.issued.certPem,
    chainPem: intermediate.issued.certPem + root.issued.certPem,
    organisation(id: string): DevOrganisation {
      const found = organisations.find((org) => org.id === id);
      if (!found) {
        throw new SecurityError('DEVPKI_NAME_UNKNOWN', 'No organisation with this id was issued.', {
          context: { organisation: id },
        });
      }
      return found;
    },
  };
}

async function generateKeys(o: ResolvedOptions): Promise<Map<string, DevKeyPair>> {
  const plan: [string, ResolvedOptions['keyAlgorithm']][] = [
    ['root', o.keyAlgorithm],
    ['intermediate', o.keyAlgorithm],
    ['seal', o.keyAlgorithm],
    ['person', o.keyAlgorithm],
    ...o.organisations.flatMap((org): [string, ResolvedOptions['keyAlgorithm']][] => [
      [`${org.id}-server`, o.keyAlgorithm],
      [`${org.id}-client`, o.keyAlgorithm],
    ]),
    ...o.extras.map((e): [string, ResolvedOptions['keyAlgorithm']] => [
      e.name,
      e.keyAlgorithm ?? o.keyAlgorithm,
    ]),
  ];
  const pairs = await Promise.all(plan.map(([, algorithm]) => generateDevKeyPair(algorithm)));
  return new Map(plan.map(([name], i) => [name, pairs[i]!]));
}

async function issueCa(
  o: ResolvedOptions,
  which: 'root' | 'intermediate',
  keys: DevKeyPair,
  root?: DevAuthority,
): Promise<DevAuthority> {
  const title = which === 'root' ? 'Root' : 'Intermediate';
  const issued = await issueCertificate({
    name: which,
    subject: {
      organisationName: CA_ORGANISATION,
      commonName: `Interop Blocks Development ${title} CA ${o.label}`,
    },
    keys,
    issuer: root,
    notBefore: o.caNotBefore,
    notAfter: o.caNotAfter,
    extensions: root
      ? intermediateExtensions(o.crlBaseUrl && `${o.crlBaseUrl}/root.crl`)
      : rootExtensions(),
  });
  return asAuthority(issued, keys, which === 'root');
}

async function issueCrls(
  o: ResolvedOptions,
  issued: ReadonlyMap<string, DevIssued>,
  root: DevAuthority,
  intermediate: DevAuthority,
): Promise<{ crl: DevCrl; rootCrl: DevCrl }> {
  const byRoot = new Set([
    'intermediate',
    ...o.extras.filter((e) => e.issuer === 'root').map((e) => e.name),
  ]);
  const fromRoot: DevIssued[] = [];
  const fromIntermediate: DevIssued[] = [];
  for (const name of o.revoke) {
    const item = issued.get(name);
    if (!item || name === 'root') {
      throw new SecurityError('DEVPKI_NAME_UNKNOWN', 'A certificate to revoke was not issued.', {
        context: { name },
      });
    }
    (byRoot.has(name) ? fromRoot : fromIntermediate).push(item);
  }

  const common = {
    thisUpdate: o.now,
    nextUpdate: o.crlNextUpdate,
    revocationDate: o.revocationDate,
  };
  const [crl, rootCrl] = await Promise.all([
    issueCrl({ ...common, issuer: intermediate, revoked: fromIntermediate, crlNumber: 1 }),
    issueCrl({ ...common, issuer: root, revoked: fromRoot, crlNumber: 1 }),
  ]);
  return { crl, rootCrl };
}
