// Test world of the connectors: a dev PKI (enquirer, owner, stranger), trust, sources, enquiries.

import { ManualClock, emsoWithCheckDigit, newId, systemClock } from '@interop-blocks/core';
import {
  CertificateValidator,
  JwsSigner,
  JwsVerifier,
  createDevPki,
  parseCertificate,
  parseCertificates,
  parseCrl,
  type DevPki,
  type MtlsIdentityOptions,
} from '@interop-blocks/security';
import { defineCatalogue, type Source, type SourceDeclaration } from '../../src/index.js';
import type { ConnectorContext, Enquiry } from '../../src/connectors/connector.js';

export interface ConnectorWorld {
  pki: DevPki;
  validator: CertificateValidator;
  /** The enquirer's (centre's) seal and its verifier of answers. */
  signer: JwsSigner;
  verifier: JwsVerifier<unknown>;
  /** The owner's seal, used by test servers to sign answers. */
  ownerSigner: JwsSigner;
  /** A seal of an organisation nobody trusts (another PKI). */
  strangerSigner: JwsSigner;
  /** The centre's client identity for mutual TLS. */
  tls: MtlsIdentityOptions;
  /** The owner's server identity for mutual TLS. */
  serverTls: MtlsIdentityOptions;
}

/** Builds the PKIs once per test file. */
export async function createConnectorWorld(): Promise<ConnectorWorld> {
  const pki = await createDevPki({
    organisations: [
      { name: 'Tax Administration Test', id: 'owner' },
      { name: 'Centre for Social Work Test', id: 'centre' },
    ],
  });
  const foreign = await createDevPki({ organisations: [{ name: 'Foreign Test', id: 'foreign' }] });
  const root = parseCertificate(pki.root.certPem);
  const validator = new CertificateValidator({
    trustAnchors: [root],
    crls: [parseCrl(pki.crl.der), parseCrl(pki.rootCrl.der)],
  });
  const seal = (issued: { key: DevPki['root']['key']; chainPem: string }) =>
    new JwsSigner({ key: issued.key, certificateChain: parseCertificates(issued.chainPem) });
  const centre = pki.organisation('centre');
  const owner = pki.organisation('owner');

  return {
    pki,
    validator,
    signer: seal(centre.client),
    verifier: new JwsVerifier({ validator }),
    ownerSigner: seal(owner.client),
    strangerSigner: seal(foreign.organisation('foreign').client),
    tls: { key: centre.client.key, certificateChain: centre.client.chainPem, trustAnchors: [root] },
    serverTls: {
      key: owner.server.key,
      certificateChain: owner.server.chainPem,
      trustAnchors: [root],
    },
  };
}

/** One source of a catalogue of its own, with a permissive answer schema. */
export function sourceOf(
  transport: SourceDeclaration['transport'],
  overrides: Partial<SourceDeclaration> = {},
): Source {
  const id = overrides.id ?? 'test.source';
  const catalogue = defineCatalogue({
    version: 1,
    sources: [
      {
        id,
        title: 'Test source',
        owner: 'VATSI-10000005',
        transport,
        answerSchema: { type: 'object' },
        purposes: ['child-benefit'],
        ...overrides,
      },
    ],
  });
  return catalogue.source(id)!;
}

/** The n-th synthetic person's valid EMSO. */
export function emso(n: number): string {
  const birth = new Date(Date.UTC(1980, 0, 1 + n));
  const dd = String(birth.getUTCDate()).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const yyy = String(birth.getUTCFullYear()).slice(1);
  return emsoWithCheckDigit(`${dd}${mm}${yyy}50000`)!;
}

/** An enquiry of the centre about person n. */
export function enquiry(n: number, overrides: Partial<Enquiry> = {}): Enquiry {
  return {
    requestId: newId(),
    caseId: 'case-1',
    source: 'test.source',
    subject: { scheme: 'emso', id: emso(n) },
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    case: 'CSD-2026-0001',
    organisation: 'centre',
    official: 'official-7',
    issuedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A connector context with a signal (default: a long timeout) and the system clock. */
export function contextOf(source: Source, signal?: AbortSignal): ConnectorContext {
  return {
    source,
    signal: signal ?? AbortSignal.timeout(20_000),
    attempt: 1,
    clock: systemClock,
  };
}

export { ManualClock };
