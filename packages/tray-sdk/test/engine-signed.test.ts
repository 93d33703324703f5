import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { testBackends } from '@interop-blocks/core/testing';
import { mtlsServerOptions } from '@interop-blocks/security';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueDeclaration } from '../src/catalogue/catalogue-schema.js';
import { createIoModuleConnector } from '../src/connectors/io-module-connector.js';
import { SourcePools } from '../src/connectors/source-pools.js';
import { createConnectorWorld, emso, type ConnectorWorld } from './support/connector-world.js';
import { startIoSource, type IoSource } from './support/io-source.js';
import { householdCase, openTrayWorld, type TrayWorld } from './support/tray-world.js';

const RECORD = {
  type: 'object',
  properties: { month: { type: 'string' }, amount: { type: 'number' } },
  required: ['amount'],
};

describe.each(testBackends())('signed sources on %s', (backend) => {
  let world: ConnectorWorld;
  let io: IoSource;
  let impostor: https.Server;
  let impostorUrl: string;
  let tray: TrayWorld | undefined;

  beforeAll(async () => {
    world = await createConnectorWorld();
    io = await startIoSource(world);
    // Answers like an IO-Module, sealed by an organisation nobody trusts.
    impostor = https.createServer(mtlsServerOptions(world.serverTls), (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const query = JSON.parse(body.toString()) as {
          requestId: string;
          subjects: { scheme: string; id: string }[];
        };
        const at = new Date().toISOString();
        const answer = Buffer.from(
          JSON.stringify({
            requestId: query.requestId,
            answeredAt: at,
            source: 'furs.income',
            answers: query.subjects.map((subject) => ({
              requestId: query.requestId,
              answeredAt: at,
              source: 'furs.income',
              subject,
              status: 'found',
              data: [{ amount: 1 }],
            })),
          }),
        );
        void world.strangerSigner
          .signAnswer(answer, { requestId: query.requestId, requestBody: body })
          .then((signature) =>
            res.writeHead(200, { 'x-interop-signature': signature }).end(answer),
          );
      });
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    impostorUrl = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await io?.close();
    impostor.closeAllConnections();
    await new Promise((r) => impostor.close(r));
  });
  afterEach(async () => {
    await tray?.close();
    tray = undefined;
  });

  it('keeps a well-signed answer with its evidence and fails a badly signed one at once', async () => {
    const source = (id: string, url: string): CatalogueDeclaration['sources'][number] => ({
      id,
      title: `Income ${id}`,
      owner: 'VATSI-10000005',
      transport: { kind: 'io-module', url, dataset: 'furs.income' },
      answerSchema: RECORD,
      limits: { batchSize: 50, batchWindowMs: 5, timeoutMs: 5000 },
      purposes: ['child-benefit'],
    });
    tray = await openTrayWorld(
      backend,
      {
        version: 1,
        sources: [source('furs.income', io.server.url), source('furs.impostor', impostorUrl)],
      },
      {
        processes: [
          {
            id: 'child-benefit',
            title: 'Income',
            purpose: 'child-benefit',
            legalBasis: 'ZUPJS art. 5',
            steps: [
              {
                id: 'income',
                sources: ['furs.income', 'furs.impostor'],
                subjects: { role: 'applicant' },
              },
            ],
          },
        ],
        connectors: [
          createIoModuleConnector({
            pools: new SourcePools({ tls: world.tls }),
            signer: world.signer,
            verifier: world.verifier,
          }),
        ],
      },
    );

    await tray.tray.start();
    const opened = await tray.tray.open(
      householdCase({ applicant: { scheme: 'emso', id: emso(1) } }),
    );
    await tray.tray.wait(opened.id);

    const answers = (await tray.tray.collect(opened.id)).subjects[0]!.answers;
    const good = answers.find((a) => a.source === 'furs.income')!;
    const bad = answers.find((a) => a.source === 'furs.impostor')!;
    expect(good).toMatchObject({
      status: 'found',
      records: [{ month: '2025-01', amount: 1001 }],
      evidence: { signer: world.pki.organisation('owner').client.certificate.fingerprintSha256 },
    });
    expect(good.version).toMatch(/^\d+$/);
    expect(bad).toMatchObject({
      status: 'failed',
      reason: { code: 'TRAY_ANSWER_SIGNATURE_INVALID' },
      attempts: 1,
    });
    expect(bad.records).toBeUndefined();
  });
});
