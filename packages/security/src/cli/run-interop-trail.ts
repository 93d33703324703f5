// The `interop-trail` command: verifies an exported trail bundle offline, with no database.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InteropError } from '@interop-blocks/core';
import { verifyTrailBundle, type BundleVerification } from '../trail/verify-bundle.js';

/** Where the command writes. */
export interface TrailCliOutput {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `Usage: interop-trail verify <bundle.ndjson> [options]

Checks every record hash, link and position, every checkpoint signature (with the signer
certificate inside the bundle) and that the bundle is complete. No database is needed.

Options:
  --signer <sha256>   accept only checkpoints signed by this certificate (SHA-256 fingerprint
                      of the DER, hex); repeatable
  --report <file>     also check that every entry (seq, hash) of a subject access report
                      (JSON) is in the verified bundle
  --json              print the result as JSON

Exit status: 0 verified, 1 problems found, 2 usage error or unreadable bundle.
`;

/**
 * Runs `interop-trail` with `args` (without the node and script paths); returns the exit status.
 *
 * @example
 * ```ts
 * process.exitCode = await runInteropTrail(['verify', 'trail.ndjson'], io);
 * ```
 */
export async function runInteropTrail(args: string[], io: TrailCliOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        signer: { type: 'string', multiple: true },
        report: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, bundle, ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command !== 'verify' || !bundle || rest.length > 0) {
    io.err(USAGE);
    return 2;
  }

  let result: BundleVerification;
  let reportProblems: string[] = [];
  try {
    result = await verifyTrailBundle(bundle, {
      acceptedSigners: parsed.values.signer?.map((s) => s.replace(/:/g, '').toLowerCase()),
      collectHashes: parsed.values.report !== undefined,
    });
    if (parsed.values.report) reportProblems = await checkReport(parsed.values.report, result);
  } catch (err) {
    const code = InteropError.is(err) ? `${err.code}: ` : '';
    io.err(`interop-trail: ${code}${(err as Error).message}\n`);
    return 2;
  }

  const ok = result.ok && reportProblems.length === 0;
  if (parsed.values.json) {
    const { hashes: _hashes, ...printable } = result;
    io.out(`${JSON.stringify({ ...printable, ok, reportProblems }, null, 2)}\n`);
  } else {
    io.out(describe(result, reportProblems, ok));
  }
  return ok ? 0 : 1;
}

function describe(result: BundleVerification, reportProblems: string[], ok: boolean): string {
  const lines = [
    `trail:        ${result.trail} (exported ${result.exportedAt})`,
    `records:      ${result.records}${result.head ? ` (last seq ${result.head.seq})` : ''}`,
    `checkpoints:  ${result.checkpoints}, signed by ${result.signers.join(', ') || 'nobody valid'}`,
  ];
  for (const p of result.problems) lines.push(`problem:      seq ${p.seq} ${p.kind}: ${p.detail}`);
  for (const p of reportProblems) lines.push(`report:       ${p}`);
  lines.push(ok ? 'result:       VERIFIED' : 'result:       NOT VERIFIED');
  return `${lines.join('\n')}\n`;
}

async function checkReport(path: string, result: BundleVerification): Promise<string[]> {
  const report = JSON.parse(await readFile(path, 'utf8')) as {
    entries?: { seq?: unknown; hash?: unknown }[];
  };
  if (!Array.isArray(report.entries)) return ['the report has no entries list'];
  const problems: string[] = [];
  for (const entry of report.entries) {
    const held = typeof entry.seq === 'number' ? result.hashes?.get(entry.seq) : undefined;
    if (held === undefined) problems.push(`seq ${String(entry.seq)} is not in the bundle`);
    else if (held !== entry.hash) problems.push(`seq ${entry.seq} has another hash in the bundle`);
  }
  return problems;
}
