#!/usr/bin/env node
// Launches the `interop-trail` command from the built package; in a fresh checkout, build it first.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/interop-trail.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('interop-trail: the package is not built yet; run `npm run build` first.\n');
  process.exit(1);
}
await import(entry.href);
