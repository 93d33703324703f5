// Shared helpers of the benchmarks: timing loops, medians, the result file and the printed table.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** True when the benchmark runs at smoke size (CI). */
export const smoke = process.env.INTEROP_BENCH_SMOKE === '1' || process.argv.includes('--smoke');

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0-100) of a list of numbers, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/**
 * Operations per second of `fn` (sync or async), as the median of `runs` timed rounds of
 * `iterations` calls each, after one untimed warm-up round.
 */
export async function opsPerSecond(fn, { iterations, runs = 5, warmup = true }) {
  if (warmup) for (let i = 0; i < Math.min(iterations, 200); i++) await fn(i);
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn(i);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(iterations / seconds);
  }
  return median(rates);
}

/** Rounds a figure for the table and the JSON: 3 significant digits, integers kept whole. */
export function round(value) {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}

/**
 * Prints the figures and targets as a table and writes the result file
 * (`bench/results/<name>.json`, or `bench/results/smoke/<name>.json` at smoke size).
 * Returns false when a target is missed (full runs only; smoke sizes prove nothing about speed).
 */
export function report({ name, backend, figures, targets }) {
  const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v)]));
  const result = {
    name,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, backend },
    smoke,
    figures: rounded,
    targets,
  };

  const width = Math.max(...Object.keys(rounded).map((k) => k.length));
  console.log(`\n${name}${smoke ? ' (smoke size: figures are not meaningful)' : ''}`);
  for (const [key, value] of Object.entries(rounded))
    console.log(`  ${key.padEnd(width)}  ${value}`);

  let allMet = true;
  if (targets.length > 0) console.log('  targets:');
  for (const t of targets) {
    const actual = rounded[t.metric];
    const met = t.op === '>=' ? actual >= t.value : actual <= t.value;
    allMet &&= met;
    console.log(`    ${t.metric} ${t.op} ${t.value}: ${actual} ${met ? 'met' : 'MISSED'}`);
  }

  const dir = smoke ? join(resultsDir, 'smoke') : resultsDir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return smoke || allMet;
}
