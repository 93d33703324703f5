import { readFileSync } from 'node:fs';
import { InteropError } from '@interop-blocks/core';
import { describe, expect, it } from 'vitest';
import { IO_ERROR_CODES, IoError } from '../src/index.js';

describe('io-module errors', () => {
  it('are interop errors with stable IO_ codes', () => {
    for (const code of Object.keys(IO_ERROR_CODES) as (keyof typeof IO_ERROR_CODES)[]) {
      const err = new IoError(code, 'x');
      expect(err).toBeInstanceOf(InteropError);
      expect(err.code).toMatch(/^IO_[A-Z_]+$/);
    }
  });

  it('are listed in the README table exactly as exported', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `(IO_[A-Z_]+)` +\|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(IO_ERROR_CODES).sort());
  });
});
