// Runs the benchmarks: `npm run bench` (all), `npm run bench -- <name>` (one), `--smoke` (CI size).
// Each benchmark is bench/<name>/run.mjs; it prints a table and writes bench/results/<name>.json
// (full runs only; smoke runs write to bench/results/smoke/, which git ignores).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const names = args.filter((a) => !a.startsWith('--'));

const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'run.mjs')))
  .map((d) => d.name)
  .sort();

const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}
const chosen = names.length > 0 ? names : available;
if (chosen.length === 0) {
  console.log('No benchmarks yet.');
  process.exit(0);
}

const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
  stdio: 'inherit',
  cwd: join(here, '..'),
});
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const name of chosen) {
  console.log(`\n== bench ${name}${smoke ? ' (smoke)' : ''}`);
  const run = spawnSync(
    process.execPath,
    [join(here, name, 'run.mjs'), ...args.filter((a) => a.startsWith('--'))],
    {
      stdio: 'inherit',
      cwd: join(here, '..'),
      env: { ...process.env, INTEROP_BENCH_SMOKE: smoke ? '1' : '0' },
    },
  );
  if (run.status !== 0) {
    failed++;
    console.error(`bench ${name} failed with exit code ${run.status}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
