import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TrayError,
  defineCatalogue,
  defineProcess,
  defineProcesses,
  type CatalogueDeclaration,
  type ProcessDeclaration,
} from '../src/index.js';

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
const catalogueJson = (): CatalogueDeclaration => read('catalogue.json');
const processJson = (): ProcessDeclaration => read('child-benefit.process.json');

function codeOf(fn: () => unknown): { code?: string; context?: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof TrayError) return { code: err.code, context: err.context };
    throw err;
  }
  return {};
}

describe('source catalogue', () => {
  it('accepts sources of every transport and fills in default limits', () => {
    const catalogue = defineCatalogue(catalogueJson());
    expect([...catalogue.sources.keys()]).toHaveLength(5);
    expect(catalogue.groups.get('banks')).toEqual(['bank.a.balances', 'bank.b.balances']);
    const furs = catalogue.source('furs.income')!;
    expect(furs.limits).toMatchObject({
      timeoutMs: 5000,
      batchSize: 100,
      retries: 2,
      concurrency: 8,
    });
    expect(furs.serves('child-benefit')).toBe(true);
    expect(furs.serves('rent-subsidy')).toBe(false);
    expect(furs.validateRecord({ income: 1 })).toBe(true);
    expect(furs.validateRecord({ year: 2025 })).toBe(false);
  });

  it('refuses a schema violation, naming its path and never its value', () => {
    const bad = catalogueJson();
    (bad.sources[1]!.transport as { url: string }).url = 'ftp://furs';
    expect(codeOf(() => defineCatalogue(bad))).toMatchObject({ code: 'TRAY_CATALOGUE_INVALID' });
    const noPurpose = catalogueJson();
    noPurpose.sources[0]!.purposes = [];
    expect(codeOf(() => defineCatalogue(noPurpose)).context).toMatchObject({
      path: '/sources/0/purposes',
    });
  });

  it('refuses duplicate ids, answer schemas that do not compile, and mappings to unknown fields', () => {
    const duplicate = catalogueJson();
    duplicate.sources.push(duplicate.sources[0]!);
    expect(codeOf(() => defineCatalogue(duplicate)).code).toBe('TRAY_CATALOGUE_DUPLICATE');

    const strict = catalogueJson();
    strict.sources[1]!.answerSchema = { type: 'object', propertiez: {} };
    expect(codeOf(() => defineCatalogue(strict)).code).toBe('TRAY_CATALOGUE_INVALID');

    const mapping = catalogueJson();
    mapping.sources[2]!.mapping = { fields: { yearly: '/amount/yearly' } };
    expect(codeOf(() => defineCatalogue(mapping))).toMatchObject({
      code: 'TRAY_CATALOGUE_MAPPING_INVALID',
      context: { source: 'zpiz.pensions', field: 'yearly' },
    });
  });
});

describe('gathering processes', () => {
  const catalogue = defineCatalogue(catalogueJson());

  it('accept a process and order its steps by their dependencies, groups resolved', () => {
    const process = defineProcess(processJson(), catalogue);
    expect(process.steps.map((s) => s.id)).toEqual(['household', 'income', 'banks']);
    expect(process.step('banks')!.sources).toEqual(['bank.a.balances', 'bank.b.balances']);
  });

  it('refuse an unknown source and an unknown group', () => {
    const unknown = processJson();
    unknown.steps[1]!.sources = ['furs.incomes'];
    expect(codeOf(() => defineProcess(unknown, catalogue))).toMatchObject({
      code: 'TRAY_PROCESS_UNKNOWN_SOURCE',
      context: { step: 'income', source: 'furs.incomes' },
    });
    const group = processJson();
    group.steps[2]!.groups = ['savings-banks'];
    expect(codeOf(() => defineProcess(group, catalogue)).code).toBe('TRAY_PROCESS_UNKNOWN_SOURCE');
  });

  it('refuse a cycle and a dependency on an unknown step', () => {
    const cycle = processJson();
    cycle.steps[0]!.after = ['banks'];
    expect(codeOf(() => defineProcess(cycle, catalogue)).code).toBe('TRAY_PROCESS_CYCLE');
    const unknown = processJson();
    unknown.steps[1]!.after = ['housing'];
    expect(codeOf(() => defineProcess(unknown, catalogue)).code).toBe('TRAY_PROCESS_UNKNOWN_STEP');
  });

  it('refuse a source that may not be asked for the purpose', () => {
    const other = {
      ...processJson(),
      id: 'cash-social-assistance',
      purpose: 'cash-social-assistance',
    };
    expect(codeOf(() => defineProcess(other, catalogue))).toMatchObject({
      code: 'TRAY_PROCESS_PURPOSE_NOT_SERVED',
      context: { source: 'zpiz.pensions' },
    });
  });

  it('refuse subjects taken from a step that does not run before, or lists no members', () => {
    const notBefore = processJson();
    notBefore.steps[1]!.after = [];
    expect(codeOf(() => defineProcess(notBefore, catalogue)).code).toBe(
      'TRAY_PROCESS_SUBJECTS_INVALID',
    );
    const noMembers = processJson();
    delete noMembers.steps[0]!.members;
    expect(codeOf(() => defineProcess(noMembers, catalogue)).code).toBe(
      'TRAY_PROCESS_SUBJECTS_INVALID',
    );
  });

  it('refuse a step without sources, duplicate step ids, and two processes for one purpose', () => {
    const empty = processJson();
    delete empty.steps[1]!.sources;
    expect(codeOf(() => defineProcess(empty, catalogue)).code).toBe('TRAY_PROCESS_INVALID');
    const twice = processJson();
    twice.steps[2]!.id = 'income';
    expect(codeOf(() => defineProcess(twice, catalogue)).code).toBe('TRAY_PROCESS_DUPLICATE');
    expect(
      codeOf(() => defineProcesses([processJson(), { ...processJson(), id: 'other' }], catalogue))
        .code,
    ).toBe('TRAY_PROCESS_DUPLICATE');
  });
});
