import { readFileSync } from 'node:fs';
import { InteropError } from '@interop-blocks/core';
import { describe, expect, it } from 'vitest';
import { TRAY_ERROR_CODES, TrayError } from '../src/index.js';

describe('tray errors', () => {
  it('are interop errors with stable TRAY_ codes', () => {
    for (const code of Object.keys(TRAY_ERROR_CODES) as (keyof typeof TRAY_ERROR_CODES)[]) {
      const err = new TrayError(code, 'x');
      expect(err).toBeInstanceOf(InteropError);
      expect(err.code).toMatch(/^TRAY_[A-Z0-9_]+$/);
    }
  });

  it('are listed in the README table exactly as exported', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `(TRAY_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(TRAY_ERROR_CODES).sort());
  });
});
