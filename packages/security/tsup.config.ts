import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // The two builds run in parallel: keep the CLI output out of the library's clean.
    clean: ['!cli/**'],
    target: 'node20',
  },
  {
    // The `interop-pki` and `interop-trail` commands: ESM only, with a shebang, no types.
    entry: {
      'cli/interop-pki': 'src/cli/interop-pki.ts',
      'cli/interop-trail': 'src/cli/interop-trail.ts',
    },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
