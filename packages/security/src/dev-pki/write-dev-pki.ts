// Writes a development PKI to a folder as PEM files (keys 0600), CRLs, a manifest and a README.

import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SecurityError } from '../errors.js';
import type { DevPki } from './dev-pki-options.js';

/** Options of {@link writeDevPki}. */
export interface WriteDevPkiOptions {
  /** Write into a folder that already holds files (ours are overwritten). Default false. */
  force?: boolean;
}

/** What {@link writeDevPki} wrote: paths relative to the folder, keys marked. */
export interface WrittenFile {
  readonly path: string;
  readonly kind: 'certificate' | 'chain' | 'key' | 'crl' | 'manifest' | 'readme';
}

const README = `DEVELOPMENT ONLY - NOT FOR PRODUCTION

These certificates and keys were made by the development PKI of @interop-blocks/security
(createDevPki / interop-pki init). They are for demos and tests on one machine. Nothing they
sign is trustworthy: the private keys sit in plain files next to the certificates, the
"qualified" certificates only look qualified, and the organisations and the person are fictitious.
Never use them to protect real data, never install the root CA in a system trust store, and never
copy these files to a server that handles real requests.

Files
  root-ca.pem, intermediate-ca.pem   the CA certificates; chain.pem = intermediate then root
  <name>.pem                         a certificate; <name>.chain.pem = it plus the intermediate
  <name>.key.pem                     its private key (PKCS#8, mode 0600)
  intermediate.crl, root.crl         CRLs in DER (as served over HTTP); *.crl.pem in PEM
  pki.json                           what was issued: names, subjects, serial numbers, files
`;

/**
 * Writes `pki` into `dir` (created if missing).
 *
 * @throws SecurityError `DEVPKI_TARGET_NOT_EMPTY` (the folder holds files and `force` is not set),
 *   `DEVPKI_WRITE_FAILED` (a file or the folder could not be written).
 * @example
 * ```ts
 * const written = await writeDevPki(await createDevPki(), './dev-pki');
 * ```
 */
export async function writeDevPki(
  pki: DevPki,
  dir: string,
  options: WriteDevPkiOptions = {},
): Promise<WrittenFile[]> {
  const target = resolve(dir);
  const existing = await listFolder(target);
  if (existing.length > 0 && !options.force) {
    throw new SecurityError('DEVPKI_TARGET_NOT_EMPTY', 'The target folder is not empty.', {
      context: { entries: existing.length },
    });
  }

  const files: { path: string; kind: WrittenFile['kind']; data: string | Uint8Array }[] = [
    { path: 'README.txt', kind: 'readme', data: README },
    { path: 'chain.pem', kind: 'chain', data: pki.chainPem },
    { path: 'intermediate.crl', kind: 'crl', data: pki.crl.der },
    { path: 'intermediate.crl.pem', kind: 'crl', data: pki.crl.pem },
    { path: 'root.crl', kind: 'crl', data: pki.rootCrl.der },
    { path: 'root.crl.pem', kind: 'crl', data: pki.rootCrl.pem },
  ];
  for (const item of pki.issued.values()) {
    const base =
      item.name === 'root' || item.name === 'intermediate' ? `${item.name}-ca` : item.name;
    files.push({ path: `${base}.pem`, kind: 'certificate', data: item.certPem });
    files.push({ path: `${base}.key.pem`, kind: 'key', data: item.keyPem });
    if (item.name !== 'root')
      files.push({ path: `${base}.chain.pem`, kind: 'chain', data: item.chainPem });
  }
  files.push({ path: 'pki.json', kind: 'manifest', data: manifest(pki) });

  try {
    await mkdir(target, { recursive: true });
    for (const file of files) {
      const path = join(target, file.path);
      const mode = file.kind === 'key' ? 0o600 : 0o644;
      await writeFile(path, file.data, { mode });
      // writeFile applies the mode only to new files; an overwritten key keeps its old mode.
      await chmod(path, mode);
    }
  } catch (cause) {
    throw new SecurityError(
      'DEVPKI_WRITE_FAILED',
      'The development PKI files could not be written.',
      {
        context: { code: (cause as NodeJS.ErrnoException).code },
        cause,
      },
    );
  }
  return files.map(({ path, kind }) => ({ path, kind }));
}

async function listFolder(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SecurityError('DEVPKI_WRITE_FAILED', 'The target folder cannot be read.', {
      context: { code: (cause as NodeJS.ErrnoException).code },
      cause,
    });
  }
}

function manifest(pki: DevPki): string {
  const describe = (name: string) => {
    const item = pki.issued.get(name)!;
    return {
      name,
      subject: item.certificate.subject.text,
      serialNumber: item.certificate.serialNumber,
      fingerprintSha256: item.certificate.fingerprintSha256,
      notBefore: item.certificate.notBefore.toISOString(),
      notAfter: item.certificate.notAfter.toISOString(),
    };
  };
  const body = {
    note: 'Development only. Not for production.',
    keyAlgorithm: pki.keyAlgorithm,
    certificates: [...pki.issued.keys()].map(describe),
    organisations: pki.organisations.map((o) => ({
      id: o.id,
      name: o.name,
      taxNumber: o.taxNumber,
      organizationIdentifier: o.organizationIdentifier,
      server: o.server.name,
      client: o.client.name,
    })),
    revoked: [...pki.crl.revokedSerialNumbers, ...pki.rootCrl.revokedSerialNumbers],
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
