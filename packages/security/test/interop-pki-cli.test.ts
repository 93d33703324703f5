import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTaxNumber } from '@interop-blocks/core';
import tsupConfig from '../tsup.config.js';
import { parseCertificate, parseCertificates } from '../src/pki/certificate.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('interop-pki CLI (built with the package tsup config, run as a child process)', () => {
  let buildDir: string;
  let cli: string;
  let work: string;

  async function interopPki(...args: string[]): Promise<Result> {
    try {
      const { stdout, stderr } = await run(cli, args, { cwd: work });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  beforeAll(async () => {
    // The CLI entry of tsup.config.ts, built into a private folder of this package (so that its
    // dependencies resolve) instead of dist, which other tests may be reading.
    const configs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as Options[];
    const entry = configs.find(
      (c) => typeof c.entry === 'object' && !Array.isArray(c.entry) && 'cli/interop-pki' in c.entry,
    );
    expect(entry).toBeDefined();
    buildDir = join(packageDir, 'node_modules', '.cache', `cli-test-${process.pid}-${Date.now()}`);
    await build({ ...entry, outDir: buildDir, config: false, silent: true });
    cli = join(buildDir, 'cli', 'interop-pki.js');
    work = await mkdtemp(join(tmpdir(), 'interop-pki-'));
  }, 60_000);

  afterAll(async () => {
    await rm(buildDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('is registered as the package bin, with a shebang and the executable bit', async () => {
    const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    // The bin is a launcher that exists before the first build, so that npm links it on install.
    const launcher = join(packageDir, pkg.bin['interop-pki']!);
    expect(pkg.bin['interop-pki']).toBe('./bin/interop-pki.mjs');
    expect(await readFile(launcher, 'utf8')).toContain("'../dist/cli/interop-pki.js'");
    for (const file of [launcher, cli]) {
      expect((await readFile(file, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    }
    expect((await stat(launcher)).mode & 0o111).not.toBe(0);
    expect((await stat(cli)).mode & 0o111).not.toBe(0);
  });

  it('init writes a PKI whose files parse back and chain to the root', async () => {
    const dir = join(work, 'pki');
    const result = await interopPki(
      'init',
      dir,
      '--org',
      'name=Centre for Social Work, Maribor,id=centre,dns=centre.localhost,ip=127.0.0.1',
      '--org',
      'Tax Office',
      '--days',
      '30',
      '--revoke',
      'tax-office-client',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('development only');
    expect(result.stdout).toContain('centre-client.key.pem  (private key, 0600)');

    const files = await readdir(dir);
    expect(files).toContain('README.txt');
    const root = new X509Certificate(await readFile(join(dir, 'root-ca.pem')));
    const [client, intermediate] = parseCertificates(
      await readFile(join(dir, 'centre-client.chain.pem'), 'utf8'),
    );
    expect(new X509Certificate(intermediate!.der).verify(root.publicKey)).toBe(true);
    expect(new X509Certificate(client!.der).verify(intermediate!.publicKey)).toBe(true);
    expect(client!.subject.get('2.5.4.10')).toBe('Centre for Social Work, Maribor');
    const orgId = client!.subject.get('2.5.4.97')!;
    expect(orgId).toMatch(/^VATSI-\d{8}$/);
    expect(validateTaxNumber(orgId.slice(6))).toBe(true);
    expect(result.stdout).toContain(
      `Organisation centre: Centre for Social Work, Maribor, ${orgId}`,
    );

    const server = new X509Certificate(await readFile(join(dir, 'centre-server.pem')));
    expect(server.subjectAltName).toBe('DNS:centre.localhost, IP Address:127.0.0.1');
    const days = (client!.notAfter.getTime() - client!.notBefore.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect((await stat(join(dir, 'seal.key.pem'))).mode & 0o777).toBe(0o600);
    expect(
      parseCertificate(await readFile(join(dir, 'person.pem'))).subject.get('2.5.4.5'),
    ).toMatch(/^PNOSI-/);

    const manifest = JSON.parse(await readFile(join(dir, 'pki.json'), 'utf8')) as {
      keyAlgorithm: string;
      revoked: string[];
    };
    const revoked = parseCertificate(await readFile(join(dir, 'tax-office-client.pem')));
    expect(manifest.revoked).toEqual([revoked.serialNumber]);
    expect(manifest.keyAlgorithm).toBe('ecdsa-p256');
  });

  it('uses RSA keys with --rsa', async () => {
    const result = await interopPki('init', join(work, 'rsa'), '--rsa');
    expect(result.code).toBe(0);
    const cert = new X509Certificate(await readFile(join(work, 'rsa', 'dev-org-client.pem')));
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
  });

  it('refuses a non-empty folder without --force and writes into it with --force', async () => {
    const dir = join(work, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    const refused = await interopPki('init', dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty; pass --force');
    expect(await readdir(dir)).toEqual(['notes.txt']);

    const forced = await interopPki('init', dir, '--force');
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(await readdir(dir)).toContain('root-ca.pem');
  });

  it('exits with status 2 and a clear message on bad arguments', async () => {
    const cases: [string[], RegExp][] = [
      [[], /No command given/],
      [['create', 'x'], /Unknown command "create"/],
      [['init'], /init needs a target folder/],
      [['init', 'x', 'y'], /Unexpected argument "y"/],
      [['init', 'x', '--days', 'ten'], /--days needs a whole number/],
      [['init', 'x', '--colour'], /Unknown option '--colour'/],
      [['init', 'x', '--org', 'id=a'], /has no name=/],
      [['init', 'x', '--org', 'name=A,tax=12345678'], /not a valid Slovenian tax number/],
      [['init', 'x', '--revoke', 'nobody'], /was not issued/],
    ];
    const results = await Promise.all(cases.map(([args]) => interopPki(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout).toBe('');
    }
    expect(await readdir(work)).not.toContain('x');
  });

  it('prints the usage with --help', async () => {
    const result = await interopPki('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: interop-pki init <dir>/);
  });
});
