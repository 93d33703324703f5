import { testBackends } from '@interop-blocks/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueDeclaration } from '../src/catalogue/catalogue-schema.js';
import { createRestConnector } from '../src/connectors/rest-connector.js';
import { SourcePools } from '../src/connectors/source-pools.js';
import type { ProcessDeclaration } from '../src/process/process-schema.js';
import { startFaultServer, type FaultServer } from './support/fault-server.js';
import { laterConnector, startLaterServer, type LaterServer } from './support/later-source.js';
import {
  HOUSEHOLD,
  householdAnswer,
  householdCase,
  householdCatalogue,
  openTrayWorld,
  type TrayWorld,
} from './support/tray-world.js';

const PROCESS: ProcessDeclaration = {
  id: 'child-benefit',
  title: 'Household and a bank that answers later',
  purpose: 'child-benefit',
  legalBasis: 'ZUPJS art. 5',
  steps: [
    {
      id: 'household',
      sources: ['crp.household'],
      subjects: { role: 'applicant' },
      members: { pointer: '/members' },
    },
    { id: 'bank', after: ['household'], sources: ['bank.later'], subjects: { from: 'household' } },
  ],
};

describe.each(testBackends())('sources that answer later on %s', (backend) => {
  let server: FaultServer;
  let later: LaterServer;
  let world: TrayWorld | undefined;

  beforeAll(async () => {
    server = await startFaultServer();
    server.answer('crp.household', () => householdAnswer());
    later = await startLaterServer(new Set([HOUSEHOLD.applicant, HOUSEHOLD.spouse]), 800);
  });
  afterAll(async () => {
    await server.close();
    await later.close();
  });
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('waits, collects each answer exactly once, and expires what did not come by the deadline', async () => {
    const catalogue: CatalogueDeclaration = householdCatalogue(server.url);
    catalogue.sources = [
      catalogue.sources[0]!,
      {
        id: 'bank.later',
        title: 'A bank that answers later',
        owner: 'test-bank',
        transport: { kind: 'custom', connector: 'later', options: { url: later.url } },
        answerSchema: {
          type: 'object',
          properties: { balance: { type: 'number' } },
          required: ['balance'],
        },
        limits: { batchSize: 10, batchWindowMs: 5 },
        purposes: ['child-benefit'],
      },
    ];
    world = await openTrayWorld(backend, catalogue, {
      processes: [PROCESS],
      connectors: [createRestConnector({ pools: new SourcePools() }), laterConnector()],
    });
    const statuses: string[] = [];

    await world.tray.start();
    const opened = await world.tray.open(householdCase());
    for await (const event of world.tray.progress(opened.id)) {
      if (event.type === 'enquiry' && event.source === 'bank.later') statuses.push(event.status);
    }

    expect(statuses.sort()).toEqual(['expired', 'expired', 'found', 'found']);
    const answers = (await world.tray.collect(opened.id)).subjects.flatMap((s) =>
      s.answers
        .filter((a) => a.source === 'bank.later')
        .map((a) => [s.subject.id, a.status, a.reason?.code]),
    );
    expect(answers.sort()).toEqual(
      [
        [HOUSEHOLD.applicant, 'found', undefined],
        [HOUSEHOLD.spouse, 'found', undefined],
        [HOUSEHOLD.teen, 'expired', 'TRAY_ANSWER_EXPIRED'],
        [HOUSEHOLD.small, 'expired', 'TRAY_ANSWER_EXPIRED'],
      ].sort(),
    );
    const page = await world.trail.query({ case: 'CSD-2026-0042', limit: 100 });
    const bankAnswers = page.entries.filter(
      (e) => e.action === 'answer' && e.source === 'bank.later',
    );
    expect(bankAnswers).toHaveLength(4);
  });
});
