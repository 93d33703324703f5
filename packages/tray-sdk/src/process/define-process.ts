// Validates gathering processes against the catalogue: known sources, purposes served, no cycles.

import { createAjv } from '@interop-blocks/core';
import type { Catalogue } from '../catalogue/define-catalogue.js';
import { schemaError } from '../catalogue/define-catalogue.js';
import { TrayError } from '../errors.js';
import { ProcessSchema, type ProcessDeclaration, type StepDeclaration } from './process-schema.js';

/** A checked step, with the sources its groups stand for resolved. */
export interface Step {
  readonly declaration: StepDeclaration;
  readonly id: string;
  /** Every source the step asks: its own and its groups' members, each once. */
  readonly sources: readonly string[];
  /** The steps it waits for, directly. */
  readonly after: readonly string[];
}

/** A checked gathering process: steps in an order that respects every dependency. */
export interface GatheringProcess {
  readonly declaration: ProcessDeclaration;
  readonly purpose: string;
  /** Steps in dependency order (a step comes after everything it waits for). */
  readonly steps: readonly Step[];
  step(id: string): Step | undefined;
}

const validateProcess = createAjv().compile(ProcessSchema);

/**
 * Checks one process against the catalogue.
 *
 * @throws TrayError `TRAY_PROCESS_INVALID`, `TRAY_PROCESS_DUPLICATE` (step ids),
 *   `TRAY_PROCESS_UNKNOWN_SOURCE`, `TRAY_PROCESS_UNKNOWN_STEP`, `TRAY_PROCESS_CYCLE`,
 *   `TRAY_PROCESS_PURPOSE_NOT_SERVED`, `TRAY_PROCESS_SUBJECTS_INVALID`.
 */
export function defineProcess(
  declaration: ProcessDeclaration,
  catalogue: Catalogue,
): GatheringProcess {
  if (!validateProcess(declaration)) {
    throw schemaError('TRAY_PROCESS_INVALID', 'The process is invalid', validateProcess.errors);
  }

  const steps = new Map<string, Step>();
  for (const declared of declaration.steps) {
    if (steps.has(declared.id)) {
      throw processError(
        'TRAY_PROCESS_DUPLICATE',
        'Two steps have the same id.',
        declaration,
        declared.id,
      );
    }
    steps.set(declared.id, resolveStep(declared, declaration, catalogue));
  }

  const order = dependencyOrder(steps, declaration);
  checkSubjects(steps, order, declaration);
  return Object.freeze({
    declaration,
    purpose: declaration.purpose,
    steps: order,
    step: (id: string) => steps.get(id),
  });
}

/**
 * Checks a set of processes: each on its own and one process per purpose.
 * @throws TrayError as {@link defineProcess}; `TRAY_PROCESS_DUPLICATE` for a purpose served twice.
 */
export function defineProcesses(
  declarations: readonly ProcessDeclaration[],
  catalogue: Catalogue,
): Map<string, GatheringProcess> {
  const byPurpose = new Map<string, GatheringProcess>();
  for (const declaration of declarations) {
    const process = defineProcess(declaration, catalogue);
    if (byPurpose.has(process.purpose)) {
      throw new TrayError('TRAY_PROCESS_DUPLICATE', 'Two processes serve the same purpose.', {
        context: { purpose: process.purpose, process: declaration.id },
      });
    }
    byPurpose.set(process.purpose, process);
  }
  return byPurpose;
}

function resolveStep(
  declared: StepDeclaration,
  process: ProcessDeclaration,
  catalogue: Catalogue,
): Step {
  const sources = new Set<string>();
  for (const id of declared.sources ?? []) {
    if (!catalogue.source(id))
      throw processError(
        'TRAY_PROCESS_UNKNOWN_SOURCE',
        'The step asks an unknown source.',
        process,
        declared.id,
        { source: id },
      );
    sources.add(id);
  }
  for (const group of declared.groups ?? []) {
    const members = catalogue.groups.get(group);
    if (!members)
      throw processError(
        'TRAY_PROCESS_UNKNOWN_SOURCE',
        'The step asks an unknown group.',
        process,
        declared.id,
        { group },
      );
    for (const id of members) sources.add(id);
  }
  if (sources.size === 0) {
    throw processError(
      'TRAY_PROCESS_INVALID',
      'A step asks at least one source or group.',
      process,
      declared.id,
    );
  }
  for (const id of sources) {
    if (!catalogue.source(id)!.serves(process.purpose)) {
      throw processError(
        'TRAY_PROCESS_PURPOSE_NOT_SERVED',
        'The step asks a source that does not serve the purpose.',
        process,
        declared.id,
        { source: id },
      );
    }
  }
  return Object.freeze({
    declaration: declared,
    id: declared.id,
    sources: [...sources],
    after: declared.after ?? [],
  });
}

/** Kahn's algorithm: a dependency order, or the cycle refused. */
function dependencyOrder(steps: Map<string, Step>, process: ProcessDeclaration): Step[] {
  const waiting = new Map<string, number>();
  for (const step of steps.values()) {
    for (const before of step.after) {
      if (!steps.has(before)) {
        throw processError(
          'TRAY_PROCESS_UNKNOWN_STEP',
          'The step waits for an unknown step.',
          process,
          step.id,
          { after: before },
        );
      }
    }
    waiting.set(step.id, step.after.length);
  }

  const order: Step[] = [];
  const ready = [...steps.values()].filter((s) => s.after.length === 0);
  while (ready.length > 0) {
    const step = ready.shift()!;
    order.push(step);
    for (const next of steps.values()) {
      if (!next.after.includes(step.id)) continue;
      const left = waiting.get(next.id)! - 1;
      waiting.set(next.id, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length !== steps.size) {
    const stuck = [...steps.keys()].filter((id) => !order.some((s) => s.id === id));
    throw processError(
      'TRAY_PROCESS_CYCLE',
      'Steps wait for each other in a cycle.',
      process,
      stuck[0] ?? '',
      { steps: stuck.join(',').slice(0, 200) },
    );
  }
  return order;
}

/** A step may take subjects only from a step it (transitively) waits for, which lists members. */
function checkSubjects(steps: Map<string, Step>, order: Step[], process: ProcessDeclaration): void {
  const ancestors = new Map<string, Set<string>>();
  for (const step of order) {
    const set = new Set<string>();
    for (const before of step.after) {
      set.add(before);
      for (const a of ancestors.get(before) ?? []) set.add(a);
    }
    ancestors.set(step.id, set);

    const selector = step.declaration.subjects;
    if (!('from' in selector)) continue;
    const from = steps.get(selector.from);
    if (!from)
      throw processError(
        'TRAY_PROCESS_UNKNOWN_STEP',
        'The step takes subjects from an unknown step.',
        process,
        step.id,
        { from: selector.from },
      );
    if (!set.has(from.id) || !from.declaration.members) {
      throw processError(
        'TRAY_PROCESS_SUBJECTS_INVALID',
        'Subjects come from a step that runs before this one and lists members.',
        process,
        step.id,
        { from: from.id },
      );
    }
  }
}

function processError(
  code:
    | 'TRAY_PROCESS_INVALID'
    | 'TRAY_PROCESS_DUPLICATE'
    | 'TRAY_PROCESS_UNKNOWN_SOURCE'
    | 'TRAY_PROCESS_UNKNOWN_STEP'
    | 'TRAY_PROCESS_CYCLE'
    | 'TRAY_PROCESS_PURPOSE_NOT_SERVED'
    | 'TRAY_PROCESS_SUBJECTS_INVALID',
  message: string,
  process: ProcessDeclaration,
  step: string,
  extra: Record<string, string> = {},
): TrayError {
  return new TrayError(code, message, { context: { process: process.id, step, ...extra } });
}
