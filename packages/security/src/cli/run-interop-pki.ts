// Runs the `interop-pki` command line: parses arguments, creates and writes the development PKI.

import { resolve } from 'node:path';
import { InteropError } from '@interop-blocks/core';
import { createDevPki } from '../dev-pki/create-dev-pki.js';
import { writeDevPki } from '../dev-pki/write-dev-pki.js';
import { parseInitArgs, USAGE } from './parse-init-args.js';

/** Where the command writes its text. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Runs `interop-pki` with `argv` (without node and the script) and returns the exit status:
 * 0 done, 1 failed, 2 bad arguments.
 */
export async function runInteropPki(argv: readonly string[], io: CliOutput): Promise<number> {
  let command: ReturnType<typeof parseInitArgs>;
  try {
    command = parseInitArgs(argv);
  } catch (err) {
    io.err(`interop-pki: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (command === 'help') {
    io.out(USAGE);
    return 0;
  }

  try {
    const pki = await createDevPki(command.options);
    const dir = resolve(command.dir);
    const written = await writeDevPki(pki, dir, { force: command.force });

    io.out(`Development PKI written to ${dir} (development only, not for production):\n`);
    for (const file of written)
      io.out(`  ${file.path}${file.kind === 'key' ? '  (private key, 0600)' : ''}\n`);
    for (const org of pki.organisations) {
      io.out(`Organisation ${org.id}: ${org.name}, ${org.organizationIdentifier}\n`);
    }
    return 0;
  } catch (err) {
    if (
      InteropError.is(err, 'DEVPKI_OPTIONS_INVALID') ||
      InteropError.is(err, 'DEVPKI_NAME_UNKNOWN')
    ) {
      io.err(`interop-pki: ${err.message}\n`);
      return 2;
    }
    if (InteropError.is(err, 'DEVPKI_TARGET_NOT_EMPTY')) {
      io.err(`interop-pki: ${resolve(command.dir)} is not empty; pass --force to write into it.\n`);
      return 1;
    }
    const code = err instanceof InteropError ? `${err.code}: ` : '';
    io.err(`interop-pki: ${code}${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
