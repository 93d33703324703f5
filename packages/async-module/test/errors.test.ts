import { readFileSync } from 'node:fs';
import { InteropError } from '@interop-blocks/core';
import { describe, expect, it } from 'vitest';
import { ASYNC_ERROR_CODES, AsyncError } from '../src/index.js';

describe('async-module errors', () => {
  it('are interop errors with stable ASYNC_ codes', () => {
    for (const code of Object.keys(ASYNC_ERROR_CODES) as (keyof typeof ASYNC_ERROR_CODES)[]) {
      const err = new AsyncError(code, 'x');
      expect(err).toBeInstanceOf(InteropError);
      expect(err.code).toMatch(/^ASYNC_[A-Z0-9_]+$/);
    }
  });

  it('are listed in the README table exactly as exported', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `(ASYNC_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ASYNC_ERROR_CODES).sort());
  });
});
