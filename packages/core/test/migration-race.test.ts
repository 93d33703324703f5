import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MigrationResult } from '../src/index.js';
import { openTestStore, testBackends, type TestStore } from '../src/testing.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./fixtures/migrate-child.mjs', import.meta.url));

describe.each(testBackends())('migration race on %s', (backend) => {
  let t: TestStore;

  beforeEach(async () => {
    t = await openTestStore(backend);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('lets four processes migrate at once: each migration runs exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, [child, t.url, '400'], { timeout: 60_000 }),
      ),
    );
    const parsed = results.map((r) => JSON.parse(r.stdout) as MigrationResult);

    const applied = parsed.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual([1, 2]);
    expect(parsed.every((r) => r.current === 2)).toBe(true);

    const rows = await t.store
      .db<{ race: { who: string } }>()
      .selectFrom('race')
      .selectAll()
      .execute();
    expect(rows).toHaveLength(1);
  });
});
