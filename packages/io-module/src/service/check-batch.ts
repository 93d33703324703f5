// Checks a query candidate, whatever its binding: batch schema, justification, URL, size, subjects.

import {
  CoreError,
  parseQueryBatch,
  type IdentifierSchemes,
  type QueryBatch,
} from '@interop-blocks/core';
import { organisationOf, type Principal } from '@interop-blocks/security';
import type { Dataset } from '../dataset/define-dataset.js';
import { IoError } from '../errors.js';

/** What a candidate is checked against: who is connected, and the dataset of the URL. */
export interface BatchContext {
  consumer: Principal;
  /** The dataset id of the URL, as received. */
  dataset: string;
  /** Finds a declared dataset; throws `IO_DATASET_UNKNOWN`. */
  datasetOf(id: string): Dataset;
  schemes: IdentifierSchemes;
}

const JUSTIFICATION = new Set(['purpose', 'legalBasis', 'case', 'organisation', 'official']);

/**
 * Turns a decoded query (a JSON object, or the fields read from a SOAP `Query`) into a checked
 * batch: the batch query schema, the five justifying facts, the URL's dataset, the connected
 * organisation, the dataset's batch limit and every subject identifier.
 *
 * @throws IoError `IO_JUSTIFICATION_MISSING`, `IO_ENVELOPE_INVALID`, `IO_SOURCE_MISMATCH`,
 *   `IO_ORGANISATION_MISMATCH`, `IO_DATASET_UNKNOWN`, `IO_BATCH_TOO_LARGE`, `IO_SUBJECT_INVALID`.
 */
export function checkBatch(candidate: Record<string, unknown>, context: BatchContext): QueryBatch {
  const batch = toBatch(candidate);
  if (batch.source !== context.dataset) {
    throw new IoError('IO_SOURCE_MISMATCH', 'The query names another source than its URL.', {
      context: { dataset: context.dataset.slice(0, 128) },
    });
  }
  if (batch.organisation !== organisationOf(context.consumer)) {
    throw new IoError('IO_ORGANISATION_MISMATCH', 'The query names another organisation.');
  }
  const dataset = context.datasetOf(context.dataset);
  if (batch.subjects.length > dataset.maxBatch) {
    throw new IoError('IO_BATCH_TOO_LARGE', 'Too many subjects in one query.', {
      context: { asked: batch.subjects.length, limit: dataset.maxBatch },
    });
  }

  batch.subjects.forEach((subject, index) => {
    try {
      batch.subjects[index] = context.schemes.parse(subject);
    } catch (err) {
      if (!(err instanceof CoreError)) throw err;
      throw new IoError('IO_SUBJECT_INVALID', 'A subject identifier is invalid.', {
        context: { index, reason: err.code },
      });
    }
  });
  return batch;
}

/** Accepts a batch, or a single-subject query turned into a batch of one. */
function toBatch(record: Record<string, unknown>): QueryBatch {
  const candidate =
    'subject' in record && !('subjects' in record)
      ? (({ subject, ...rest }) => ({ ...rest, subjects: [subject] }))(record)
      : record;
  try {
    return parseQueryBatch(candidate);
  } catch (err) {
    if (!(err instanceof CoreError)) throw err;
    const property = err.context.property;
    if (
      err.context.keyword === 'required' &&
      typeof property === 'string' &&
      JUSTIFICATION.has(property)
    ) {
      throw new IoError('IO_JUSTIFICATION_MISSING', `The query has no ${property}.`, {
        context: { property },
      });
    }
    throw new IoError('IO_ENVELOPE_INVALID', err.message, { context: { ...err.context } });
  }
}
