// Builds the answer of a batch query: one answer per subject, reduced to the purpose's fields.

import type { AnswerBatch, AnswerEnvelope, QueryBatch } from '@interop-blocks/core';
import type { AuthorizationDecision } from '@interop-blocks/security';
import type { DistributionCopy } from '../copy/distribution-copy.js';
import type { VersionInfo } from '../copy/version-lifecycle.js';
import { subjectKey } from '../copy/version-tables.js';
import type { Dataset } from '../dataset/define-dataset.js';
import { projectFields } from '../dataset/project-fields.js';
import { IoError } from '../errors.js';

/** What an answer is built from. */
export interface AnswerPlan {
  dataset: Dataset;
  batch: QueryBatch;
  decision: AuthorizationDecision;
  answeredAt: number;
  requestHash: string;
}

/** The built answer and what the trail records of it. */
export interface BuiltAnswers {
  batch: AnswerBatch;
  /** The fields released (empty when nothing was). */
  fields: readonly string[];
  version: VersionInfo | undefined;
}

/** Answers every subject of the plan's batch: refused, failed, found or not found. */
export async function buildAnswers(
  copy: DistributionCopy,
  plan: AnswerPlan,
): Promise<BuiltAnswers> {
  const { batch, dataset, decision } = plan;
  const common = (i: number) => ({
    requestId: batch.requestId,
    answeredAt: new Date(plan.answeredAt).toISOString(),
    source: batch.source,
    subject: batch.subjects[i]!,
    requestHash: plan.requestHash,
  });
  const every = (make: (i: number) => AnswerEnvelope): AnswerEnvelope[] =>
    batch.subjects.map((_, i) => make(i));
  const wrap = (
    answers: AnswerEnvelope[],
    fields: readonly string[],
    version?: VersionInfo,
  ): BuiltAnswers => ({
    batch: {
      requestId: batch.requestId,
      answeredAt: common(0).answeredAt,
      source: batch.source,
      requestHash: plan.requestHash,
      answers,
    },
    fields,
    version,
  });

  if (!decision.allowed) {
    const reason = { code: decision.reason.code, message: decision.reason.message.slice(0, 500) };
    return wrap(
      every((i) => ({ ...common(i), status: 'refused', reason })),
      [],
    );
  }
  const fields = releasedFields(dataset, batch.purpose, decision.fields);
  if (fields.length === 0) {
    const reason = {
      code: 'IO_PURPOSE_NOT_SERVED',
      message: 'No field of this dataset serves the purpose.',
    };
    return wrap(
      every((i) => ({ ...common(i), status: 'refused', reason })),
      [],
    );
  }

  let found;
  try {
    found = await copy.lookup(dataset.id, batch.subjects, { referenceDate: batch.referenceDate });
  } catch (err) {
    if (!IoError.is(err, 'IO_VERSION_NONE')) throw err;
    const reason = { code: 'IO_VERSION_NONE', message: 'No version of the dataset is available.' };
    return wrap(
      every((i) => ({ ...common(i), status: 'failed', reason })),
      [],
    );
  }

  const version = String(found.version.id);
  const answers = every((i) => {
    const subject = batch.subjects[i]!;
    const records = found.records.get(subjectKey(subject.scheme, subject.id));
    if (!records) return { ...common(i), status: 'not_found', version };
    return {
      ...common(i),
      status: 'found',
      version,
      data: records.map((r) => projectFields(r, fields)),
    };
  });
  return wrap(answers, fields, found.version);
}

/** The purpose's declared fields, narrowed by the fields the rights allow. */
function releasedFields(
  dataset: Dataset,
  purpose: string,
  allowed: readonly string[] | '*',
): readonly string[] {
  const declared = dataset.fieldsFor(purpose) ?? [];
  if (allowed === '*') return declared;
  const set = new Set(allowed);
  return declared.filter((f) => set.has(f));
}
