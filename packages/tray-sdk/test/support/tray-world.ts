// A Tray over a real store, a real trail and real HTTP sources, for the engine's tests.

import { randomBytes, type KeyObject } from 'node:crypto';
import { emsoWithCheckDigit, type Backend } from '@interop-blocks/core';
import { openTestStore, type TestStore } from '@interop-blocks/core/testing';
import { createDevPki, createKeySigner, openTrail, type Trail } from '@interop-blocks/security';
import { createRestConnector } from '../../src/connectors/rest-connector.js';
import { SourcePools } from '../../src/connectors/source-pools.js';
// Engine modules directly (not the barrel), so that these tests do not depend on every connector.
import { defineCatalogue } from '../../src/catalogue/define-catalogue.js';
import type { CatalogueDeclaration, Limits } from '../../src/catalogue/catalogue-schema.js';
import type { Connector } from '../../src/connectors/connector.js';
import { openTray, type Tray } from '../../src/engine/open-tray.js';
import type { TrayOptions } from '../../src/engine/types.js';
import { defineProcesses } from '../../src/process/define-process.js';
import type { ProcessDeclaration } from '../../src/process/process-schema.js';

/** A valid EMSO for a birth date `DDMMYYY` and a serial. */
export function emso(ddmmyyy: string, serial = 1): string {
  return emsoWithCheckDigit(`${ddmmyyy}50${String(serial).padStart(3, '0')}`)!;
}

/** Personal numbers of a test household (applicant born 1985, spouse 1987, children 2012, 2020). */
export const HOUSEHOLD = {
  applicant: emso('0101985', 1),
  spouse: emso('0202987', 2),
  teen: emso('0303012', 3),
  small: emso('0404020', 4),
};

/** A REST source answering from `{url}/{id}` with the request id and subject in the query. */
export function restSource(
  url: string,
  id: string,
  answerSchema: Record<string, unknown>,
  extra: {
    mapping?: CatalogueDeclaration['sources'][number]['mapping'];
    limits?: Limits;
    group?: string;
  } = {},
): CatalogueDeclaration['sources'][number] {
  return {
    id,
    title: `Test source ${id}`,
    owner: 'test-owner',
    transport: {
      kind: 'rest',
      url: `${url}/${id}`,
      method: 'GET',
      query: {
        rid: '{{requestId}}',
        id: '{{subject.id}}',
        from: '{{period.from}}',
        to: '{{period.to}}',
        on: '{{referenceDate}}',
      },
    },
    answerSchema,
    purposes: ['child-benefit'],
    ...extra,
  };
}

/** The household, income and property catalogue over one fault server. */
export function householdCatalogue(url: string, limits: Limits = {}): CatalogueDeclaration {
  const fast: Limits = {
    timeoutMs: 2000,
    retries: 2,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    ...limits,
  };
  return {
    version: 1,
    sources: [
      restSource(
        url,
        'crp.household',
        {
          type: 'object',
          properties: { members: { type: 'array' } },
          required: ['members'],
        },
        { limits: fast },
      ),
      restSource(
        url,
        'furs.income',
        {
          type: 'object',
          properties: { income: { type: 'number' }, year: { type: 'integer' } },
          required: ['income'],
        },
        {
          mapping: { records: '/items', fields: { income: '/amount', year: '/year' } },
          limits: fast,
        },
      ),
      restSource(
        url,
        'bank.a.balances',
        { type: 'object', properties: { balance: { type: 'number' } }, required: ['balance'] },
        { limits: fast, group: 'banks' },
      ),
    ],
  };
}

/** Household first, then income of every member for last year, balances of adults-to-be (15+). */
export const HOUSEHOLD_PROCESS: ProcessDeclaration = {
  id: 'child-benefit',
  title: 'Child benefit',
  purpose: 'child-benefit',
  legalBasis: 'ZUPJS art. 5',
  steps: [
    {
      id: 'household',
      sources: ['crp.household'],
      subjects: { role: 'applicant' },
      members: { pointer: '/members' },
    },
    {
      id: 'income',
      after: ['household'],
      sources: ['furs.income'],
      subjects: { from: 'household' },
      period: 'previous-calendar-year',
    },
    {
      id: 'banks',
      after: ['household'],
      groups: ['banks'],
      subjects: { from: 'household', minAge: 15 },
      referenceDate: 'application-date',
    },
  ],
};

/** The household answer of the test household. */
export function householdAnswer(): unknown {
  return {
    members: [
      { scheme: 'emso', id: HOUSEHOLD.applicant, relation: 'applicant' },
      { scheme: 'emso', id: HOUSEHOLD.spouse, relation: 'spouse' },
      { scheme: 'emso', id: HOUSEHOLD.teen, relation: 'child', birthDate: '2012-03-03' },
      { scheme: 'emso', id: HOUSEHOLD.small, relation: 'child' },
    ],
  };
}

export interface TrayWorld {
  tray: Tray;
  trail: Trail;
  store: TestStore;
  close(): Promise<void>;
}

let signerPromise: Promise<{ key: KeyObject; chainPem: string }> | undefined;

/** The centre's sealing key for the trail, made once per test file. */
export function centreSigner(): Promise<{ key: KeyObject; chainPem: string }> {
  signerPromise ??= createDevPki({ organisations: [{ name: 'Centre Test', id: 'centre' }] }).then(
    (pki) => {
      const client = pki.organisation('centre').client;
      return { key: client.key, chainPem: client.chainPem };
    },
  );
  return signerPromise!;
}

/** Opens a Tray with the REST connector over real HTTP, a real trail, on `backend`. */
export async function openTrayWorld(
  backend: Backend,
  catalogueJson: CatalogueDeclaration,
  options: {
    processes?: ProcessDeclaration[];
    connectors?: Connector[];
    tray?: Partial<TrayOptions>;
    store?: TestStore;
    /** Trail keys; Trays sharing one trail share them. Default: fresh ones. */
    keys?: { hmacKey: Uint8Array; masterKey: Uint8Array };
  } = {},
): Promise<TrayWorld> {
  const store = options.store ?? (await openTestStore(backend));
  const signer = await centreSigner();
  const trail = await openTrail({
    store: store.store,
    name: 'tray',
    subjectKeys: {
      hmacKeys: [{ id: 'h1', key: options.keys?.hmacKey ?? randomBytes(32) }],
      masterKeys: [{ id: 'm1', key: options.keys?.masterKey ?? randomBytes(32) }],
    },
    signer: createKeySigner({ privateKey: signer.key, certificateChainPem: signer.chainPem }),
    batch: { maxDelayMs: 1 },
  });
  const catalogue = defineCatalogue(catalogueJson);
  const processes = defineProcesses(options.processes ?? [HOUSEHOLD_PROCESS], catalogue);
  const tray = await openTray({
    store: store.store,
    catalogue,
    processes,
    connectors: options.connectors ?? [createRestConnector({ pools: new SourcePools() })],
    trail,
    organisation: 'centre',
    pollMs: 20,
    collectEveryMs: 20,
    ...options.tray,
  });
  return {
    tray,
    trail,
    store,
    close: async () => {
      await tray.stop();
      await trail.close();
      await store.cleanup();
    },
  };
}

/** A case of the test household. */
export function householdCase(overrides: Record<string, unknown> = {}) {
  return {
    purpose: 'child-benefit',
    caseReference: 'CSD-2026-0042',
    official: 'official-7',
    applicant: { scheme: 'emso', id: HOUSEHOLD.applicant },
    applicationDate: '2026-03-02',
    ...overrides,
  };
}
