import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import { openTestStore, testBackends, type TestStore } from '@interop-blocks/core/testing';
import { createDevPki, createKeySigner, openTrail, type TrailSubjectKeys } from '../src/index.js';
import { ensureBuilt, startChild } from './fixtures/trail/children.js';
import { testKeys } from './fixtures/trail/trail-kit.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli/interop-trail.js', import.meta.url));
let signerPem: { keyPem: string; chainPem: string };

beforeAll(async () => {
  ensureBuilt();
  const pki = await createDevPki();
  signerPem = { keyPem: pki.seal.keyPem, chainPem: pki.seal.chainPem };
}, 180_000);

describe.each(testBackends())('trail processes on %s', (backend) => {
  let t: TestStore;
  let keys: TrailSubjectKeys;

  beforeEach(async () => {
    t = await openTestStore(backend);
    keys = testKeys();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function reopen() {
    return openTrail({
      store: t.store,
      name: 'shared',
      subjectKeys: keys,
      signer: createKeySigner({
        privateKey: signerPem.keyPem,
        certificateChainPem: signerPem.chainPem,
      }),
      clock: new ManualClock('2026-05-04T10:00:00Z'),
    });
  }

  it('keeps every acknowledged append of a process killed with SIGKILL', async () => {
    const child = startChild(t.url, 'shared', 0, keys, signerPem);
    await child.ackedAtLeast(400);
    child.process.kill('SIGKILL');
    expect(await child.ended).toBe('SIGKILL');

    const trail = await reopen();
    const verification = await trail.verify();
    expect(verification.problems).toEqual([]);
    expect(verification.ok).toBe(true);
    expect(verification.records).toBeGreaterThanOrEqual(child.acked.size);

    const stored = new Map<number, string>();
    for (let after: string | undefined = '0'; after !== undefined;) {
      const page = await trail.query({
        principal: `org:child-${child.process.pid}`,
        after,
        limit: 1000,
      });
      for (const e of page.entries) stored.set(e.seq, e.hash);
      after = page.next;
    }
    for (const [seq, hash] of child.acked) expect(stored.get(seq)).toBe(hash);
    await trail.close();
  }, 60_000);

  it('makes one valid chain of two processes appending to one trail', async () => {
    const a = startChild(t.url, 'shared', 250, keys, signerPem);
    const b = startChild(t.url, 'shared', 250, keys, signerPem);
    await Promise.all([a.ended, b.ended]);

    const seqs = [...a.acked.keys(), ...b.acked.keys()].sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    const trail = await reopen();
    const verification = await trail.verify();
    expect(verification.problems).toEqual([]);
    expect(verification.records).toBe(500);
    expect(verification.checkpoints).toBeGreaterThanOrEqual(2);
    expect(verification.head?.hash).toBe(a.acked.get(500) ?? b.acked.get(500));
    await trail.close();
  }, 60_000);

  it('exports a bundle that the built interop-trail command verifies, or rejects once tampered', async () => {
    const child = startChild(t.url, 'shared', 120, keys, signerPem);
    await child.ended;
    const trail = await reopen();
    const dir = await mkdtemp(join(tmpdir(), 'trail-cli-'));
    try {
      const bundle = join(dir, 'trail.ndjson');
      await trail.exportBundle(bundle);
      const { stdout } = await run(process.execPath, [cli, 'verify', bundle]);
      expect(stdout).toMatch(/records:\s+120/);
      expect(stdout).toMatch(/result:\s+VERIFIED/);

      const text = await readFile(bundle, 'utf8');
      await writeFile(bundle, text.replace('"case_ref":"case-41"', '"case_ref":"case-x"'));
      const failed = await run(process.execPath, [cli, 'verify', bundle]).catch((e: unknown) => e);
      expect((failed as { code?: number }).code).toBe(1);
      expect((failed as { stdout?: string }).stdout).toMatch(/problem:\s+seq \d+ edited/);
    } finally {
      await trail.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
