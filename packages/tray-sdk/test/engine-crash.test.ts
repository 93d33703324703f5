import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import { createKeySigner, openTrail } from '@interop-blocks/security';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnquiryRow, TrayDb } from '../src/engine/tables.js';
import { startFaultServer, type FaultServer } from './support/fault-server.js';
import {
  HOUSEHOLD_PROCESS,
  centreSigner,
  emso,
  householdCase,
  householdCatalogue,
} from './support/tray-world.js';

const child = fileURLToPath(new URL('./fixtures/tray-crash-child.mjs', import.meta.url));
const MEMBERS = 20;

interface Running {
  process: ChildProcess;
  lines: AsyncIterator<string>;
  exited: Promise<number | null>;
}

function run(configPath: string, caseId?: string): Running {
  const proc = spawn(process.execPath, [child, configPath, ...(caseId ? [caseId] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { process: proc, lines, exited };
}

/** Resolves once the servers counted `total` requests in all, or when the child exits first. */
function hitsReach(server: FaultServer, total: number, exited: Promise<unknown>): Promise<void> {
  const count = () => [...server.hits.keys()].reduce((n, s) => n + server.count(s), 0);
  return new Promise<void>((resolve) => {
    if (count() >= total) return resolve();
    const off = server.onHit(() => {
      if (count() < total) return;
      off();
      resolve();
    });
    void exited.then(() => {
      off();
      resolve();
    });
  });
}

describe.each(testBackends())('crash and resume on %s', (backend) => {
  let server: FaultServer;
  let t: TestStore;
  let dir: string;

  beforeEach(async () => {
    server = await startFaultServer();
    t = await openTestStore(backend);
    dir = await mkdtemp(join(tmpdir(), 'tray-crash-'));
  });
  afterEach(async () => {
    await server.close();
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('completes a case killed with SIGKILL three times, no answer lost or duplicated', async () => {
    const members = Array.from({ length: MEMBERS }, (_, i) => ({
      scheme: 'emso',
      id: emso('0101980', i + 10),
      relation: i === 0 ? 'applicant' : 'other',
    }));
    server.answer('crp.household', () => ({ members }));
    server.answer('furs.income', () => ({ items: [{ amount: 1, year: 2025 }] }));
    server.answer('bank.a.balances', () => ({ balance: 2 }));
    server.delay('furs.income', 30);
    server.delay('bank.a.balances', 30);
    const signer = await centreSigner();
    const keys = { hmacKey: randomBytes(32), masterKey: randomBytes(32) };
    const configPath = join(dir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        storeUrl: t.url,
        hmacKey: keys.hmacKey.toString('hex'),
        masterKey: keys.masterKey.toString('hex'),
        keyPem: signer.key.export({ type: 'pkcs8', format: 'pem' }),
        chainPem: signer.chainPem,
        workerId: 'tray-crash-test',
        catalogue: householdCatalogue(server.url, { concurrency: 2 }),
        processes: [HOUSEHOLD_PROCESS],
        caseInput: householdCase({ applicant: members[0] }),
      }),
    );

    // First run: open the case, then kill it mid-case; twice more on resume.
    let running = run(configPath);
    const first = await running.lines.next();
    const caseId = (JSON.parse(first.value as string) as { case: string }).case;
    let kills = 0;
    for (const threshold of [4, 16, 28]) {
      await hitsReach(server, threshold, running.exited);
      if (running.process.exitCode !== null) break;
      running.process.kill('SIGKILL');
      await running.exited;
      kills += 1;
      running = run(configPath, caseId);
    }
    const last = await running.lines.next();
    expect(JSON.parse(last.value as string)).toEqual({ finished: caseId });
    expect(await running.exited).toBe(0);
    expect(kills).toBe(3);

    // The store: every enquiry once, every one answered.
    const rows: EnquiryRow[] = await t.store
      .db<TrayDb>()
      .selectFrom('tray_enquiry')
      .selectAll()
      .where('case_id', '=', caseId)
      .execute();
    expect(rows).toHaveLength(1 + 2 * MEMBERS);
    expect(rows.every((r) => r.status === 'found')).toBe(true);
    const pairs = new Set(rows.map((r) => `${r.source}|${r.subject_id}`));
    expect(pairs.size).toBe(rows.length);

    // The servers: each (source, subject) was asked under one request id only; repeats are
    // retries of that id after a kill.
    const ids = new Set(rows.map((r) => r.request_id));
    for (const [source, perId] of server.hits) {
      const seen = new Map<string, string>();
      for (const rid of perId.keys()) {
        expect(ids.has(rid)).toBe(true);
        const subject = server.subjects.get(rid)!;
        expect(seen.get(subject) ?? rid).toBe(rid);
        seen.set(subject, rid);
      }
      expect(seen.size).toBe(source === 'crp.household' ? 1 : MEMBERS);
    }

    // The trail holds an answer record for every enquiry; a kill between an append and its mark
    // may append one again on restart (at most one per kill), never lose one.
    const trail = await openTrail({
      store: t.store,
      name: 'tray',
      subjectKeys: {
        hmacKeys: [{ id: 'h1', key: keys.hmacKey }],
        masterKeys: [{ id: 'm1', key: keys.masterKey }],
      },
      signer: createKeySigner({ privateKey: signer.key, certificateChainPem: signer.chainPem }),
    });
    const page = await trail.query({ case: 'CSD-2026-0042', limit: 1000 });
    const answered = page.entries.filter((e) => e.action === 'answer').map((e) => e.requestId);
    expect(new Set(answered)).toEqual(ids);
    expect(answered.length - ids.size).toBeLessThanOrEqual(kills);
    expect((await trail.verify()).ok).toBe(true);
    await trail.close();
  }, 60_000);
});
