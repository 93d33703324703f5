// Entry point of the `interop-trail` command (built with a shebang by tsup; see
// run-interop-trail.ts).

import { runInteropTrail } from './run-interop-trail.js';

const status = await runInteropTrail(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = status;
