import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import { runInteropTrail } from '../src/cli/run-interop-trail.js';
import { openTrail, verifyTrailBundle, type Trail, type TrailSigner } from '../src/index.js';
import { sampleRecord, testKeys, testSigner } from './fixtures/trail/trail-kit.js';

let signer: TrailSigner;
let fingerprint: string;

beforeAll(async () => {
  ({ signer, fingerprint } = await testSigner());
});

/** Runs the command in-process; returns its status and output. */
async function verifyCli(...args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runInteropTrail(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { status, out, err };
}

describe.each(testBackends())('trail bundles from %s', (backend) => {
  let t: TestStore;
  let trail: Trail;
  let dir: string;
  let bundle: string;

  beforeEach(async () => {
    t = await openTestStore(backend);
    dir = await mkdtemp(join(tmpdir(), 'trail-bundle-'));
    bundle = join(dir, 'trail.ndjson');
    trail = await openTrail({
      store: t.store,
      name: 'export',
      subjectKeys: testKeys(),
      signer,
      clock: new ManualClock('2026-05-04T10:00:00Z'),
      checkpointEvery: { records: 10 },
    });
    for (let i = 0; i < 25; i++) await trail.append(sampleRecord(i));
    await trail.checkpoint();
    await trail.exportBundle(bundle);
  });
  afterEach(async () => {
    await trail.close();
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  /** Rewrites the bundle's lines with `edit`. */
  async function editBundle(edit: (lines: string[]) => string[]): Promise<void> {
    const lines = (await readFile(bundle, 'utf8')).trimEnd().split('\n');
    await writeFile(bundle, `${edit(lines).join('\n')}\n`);
  }
  const recordLine = (lines: string[], seq: number) =>
    lines.findIndex((l) => l.includes('"type":"record"') && l.includes(`"seq":${seq},`));

  it('verifies offline, and the checkpoints with the certificate in the bundle', async () => {
    const { status, out } = await verifyCli('verify', bundle);
    expect(status).toBe(0);
    expect(out).toMatch(/records:\s+25/);
    expect(out).toMatch(/checkpoints:\s+3, signed by/);
    expect(out).toContain(fingerprint);
    expect(out).toMatch(/result:\s+VERIFIED/);
    const result = await verifyTrailBundle(bundle, { acceptedSigners: [fingerprint] });
    expect(result).toMatchObject({ ok: true, records: 25, checkpoints: 3, problems: [] });
  });

  it('names the edited record of a tampered bundle and exits 1', async () => {
    await editBundle((lines) => {
      const at = recordLine(lines, 5);
      lines[at] = (lines[at] ?? '').replace('"purpose":"child-benefit"', '"purpose":"marketing"');
      return lines;
    });
    const { status, out } = await verifyCli('verify', bundle);
    expect(status).toBe(1);
    expect(out).toContain('seq 5 edited');
    expect(out).toContain('NOT VERIFIED');
  });

  it('names a record removed from the bundle', async () => {
    await editBundle((lines) => lines.filter((_, i) => i !== recordLine(lines, 12)));
    const result = await verifyTrailBundle(bundle);
    expect(result.problems.map((p) => `${p.kind}@${p.seq}`)).toEqual(['deleted@12']);
  });

  it('finds a bundle cut short', async () => {
    await editBundle((lines) => lines.slice(0, recordLine(lines, 18)));
    const result = await verifyTrailBundle(bundle);
    expect(result.problems.map((p) => `${p.kind}@${p.seq}`)).toEqual(['truncated@18']);
  });

  it('finds a forged checkpoint signature and a signer that is not accepted', async () => {
    await editBundle((lines) =>
      lines.map((l) =>
        l.includes('"type":"checkpoint"') && l.includes('"seq":20,')
          ? l.replace('"time":', '"time":1')
          : l,
      ),
    );
    const forged = await verifyCli('verify', bundle, '--json');
    expect(forged.status).toBe(1);
    const parsed = JSON.parse(forged.out) as { problems: { kind: string; seq: number }[] };
    expect(parsed.problems).toEqual([
      expect.objectContaining({ kind: 'checkpoint-invalid', seq: 20 }),
    ]);

    const stranger = await verifyCli('verify', bundle, '--signer', '00'.repeat(32));
    expect(stranger.status).toBe(1);
    expect(stranger.out).toMatch(/seq 10 checkpoint-invalid/);
  });

  it('checks a subject access report against the bundle', async () => {
    const report = await trail.subjectAccessReport({ scheme: 'emso', id: '0101006500006' });
    const reportFile = join(dir, 'report.json');
    await writeFile(reportFile, JSON.stringify(report));
    expect((await verifyCli('verify', bundle, '--report', reportFile)).status).toBe(0);

    report.entries[3] = {
      ...(report.entries[3] as (typeof report.entries)[number]),
      hash: 'ff'.repeat(32),
    };
    await writeFile(reportFile, JSON.stringify(report));
    const mismatch = await verifyCli('verify', bundle, '--report', reportFile);
    expect(mismatch.status).toBe(1);
    expect(mismatch.out).toContain('seq 4 has another hash in the bundle');
  });

  it('refuses a file that is not a bundle with exit 2 and a code', async () => {
    await writeFile(bundle, '{"hello":"world"}\n');
    const { status, err } = await verifyCli('verify', bundle);
    expect(status).toBe(2);
    expect(err).toContain('TRAIL_BUNDLE_INVALID');
    expect((await verifyCli('sign', bundle)).status).toBe(2);
  });
});
