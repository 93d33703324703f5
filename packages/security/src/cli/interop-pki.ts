// Entry point of the `interop-pki` command (built with a shebang by tsup; see run-interop-pki.ts).

import { runInteropPki } from './run-interop-pki.js';

const status = await runInteropPki(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = status;
