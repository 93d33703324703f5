// NIST PKITS conformance: every record of pkits_expected.json, verdict and policy set compared.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCertificate, type Certificate } from '../src/pki/certificate.js';
import { parseCrl } from '../src/pki/crl.js';
import { validateCertificatePath } from '../src/pki/validate-path.js';
import { SecurityError } from '../src/errors.js';

interface PkitsRecord {
  test_number: string;
  title: string;
  certs_trust_anchor_first: string[];
  crls: string[];
  should_validate: boolean;
  initial_policy_set: string[];
  initial_explicit_policy: boolean;
  initial_policy_mapping_inhibit: boolean;
  initial_inhibit_any_policy: boolean;
  expected_user_constrained_policy_set: string[] | null;
}

/** `<repo>/../shared/conformance/pkits`, else INTEROP_CONFORMANCE_DIR (the folder or parent). */
function conformanceDir(): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const beside = join(repoRoot, '..', 'shared', 'conformance', 'pkits');
  if (existsSync(join(beside, 'pkits_expected.json'))) return beside;
  const fromEnv = process.env.INTEROP_CONFORMANCE_DIR;
  if (fromEnv) {
    if (existsSync(join(fromEnv, 'pkits_expected.json'))) return fromEnv;
    if (existsSync(join(fromEnv, 'pkits', 'pkits_expected.json'))) return join(fromEnv, 'pkits');
  }
  throw new Error(`PKITS data not found at ${beside} nor in INTEROP_CONFORMANCE_DIR`);
}

const DIR = conformanceDir();
const RECORDS = JSON.parse(readFileSync(join(DIR, 'pkits_expected.json'), 'utf8')) as PkitsRecord[];
const TIME = new Date('2011-04-15T00:00:00Z');
const ANCHOR_FILE = 'TrustAnchorRootCertificate.crt';

/**
 * Features declared unsupported in the package README ("Supported and unsupported features").
 * Only records that need them are skipped, each with its reason.
 */
function skipReason(record: PkitsRecord): string | undefined {
  if (/\bDSA\b/.test(record.title)) return 'DSA signatures are not supported';
  if (record.test_number.startsWith('4.15.')) return 'delta CRLs are not supported';
  if (/indirectCRL|cRLIssuer/.test(record.title)) return 'indirect CRLs are not supported';
  return undefined;
}

const tally = new Map<string, { passed: number; failed: number; skipped: number }>();
function count(record: PkitsRecord, outcome: 'passed' | 'failed' | 'skipped'): void {
  const section = record.test_number.split('.').slice(0, 2).join('.');
  const row = tally.get(section) ?? { passed: 0, failed: 0, skipped: 0 };
  row[outcome]++;
  tally.set(section, row);
}

const certCache = new Map<string, Certificate>();
function cert(file: string): Certificate {
  let hit = certCache.get(file);
  if (!hit) {
    hit = parseCertificate(readFileSync(join(DIR, 'certs', file)));
    certCache.set(file, hit);
  }
  return hit;
}

async function verdict(record: PkitsRecord): Promise<{ valid: boolean; policies?: string[] }> {
  const [anchorFile, ...pathFiles] = record.certs_trust_anchor_first;
  expect(anchorFile).toBe(ANCHOR_FILE);
  try {
    const certs = pathFiles.map(cert);
    const leaf = certs[certs.length - 1] as Certificate;
    const result = await validateCertificatePath(leaf, {
      trustAnchors: [cert(ANCHOR_FILE)],
      intermediates: certs.slice(0, -1),
      crls: record.crls.map((file) => parseCrl(readFileSync(join(DIR, 'crls', file)))),
      time: TIME,
      revocation: { mode: 'require' },
      initialPolicySet: record.initial_policy_set,
      initialExplicitPolicy: record.initial_explicit_policy,
      initialPolicyMappingInhibit: record.initial_policy_mapping_inhibit,
      initialAnyPolicyInhibit: record.initial_inhibit_any_policy,
    });
    return { valid: true, policies: result.policies };
  } catch (err) {
    // A refusal must be a coded SecurityError, never a crash.
    if (!(err instanceof SecurityError)) throw err;
    return { valid: false };
  }
}

describe('NIST PKITS', () => {
  afterAll(() => {
    const rows = [...tally.entries()].sort(([a], [b]) => Number(a.slice(2)) - Number(b.slice(2)));
    const total = { passed: 0, failed: 0, skipped: 0 };
    const lines = rows.map(([section, r]) => {
      total.passed += r.passed;
      total.failed += r.failed;
      total.skipped += r.skipped;
      return `  ${section.padEnd(5)} passed ${r.passed}  failed ${r.failed}  skipped ${r.skipped}`;
    });
    console.log(
      [
        'PKITS tally by section:',
        ...lines,
        `  total passed ${total.passed}  failed ${total.failed}  skipped ${total.skipped}`,
      ].join('\n'),
    );
  });

  for (const record of RECORDS) {
    const name = `${record.test_number} ${record.title}`;
    const reason = skipReason(record);
    if (reason) {
      count(record, 'skipped');
      it.skip(`${name} (skipped: ${reason})`, () => {});
      continue;
    }

    it(name, async () => {
      const outcome = await verdict(record);
      const expected = record.expected_user_constrained_policy_set;
      const policiesMatch =
        !outcome.valid ||
        expected === null ||
        JSON.stringify([...(outcome.policies ?? [])].sort()) ===
          JSON.stringify([...expected].sort());
      count(
        record,
        outcome.valid === record.should_validate && policiesMatch ? 'passed' : 'failed',
      );

      expect(outcome.valid).toBe(record.should_validate);
      if (outcome.valid && expected !== null) {
        expect([...(outcome.policies ?? [])].sort()).toEqual([...expected].sort());
      }
    });
  }
});
