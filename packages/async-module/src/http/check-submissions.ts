// Checks a requester's submissions before any reaches a room: envelope, organisation, rights.

import {
  CoreError,
  createDefaultSchemes,
  parseQuery,
  type IdentifierSchemes,
  type QueryEnvelope,
} from '@interop-blocks/core';
import { organisationOf, type Principal } from '@interop-blocks/security';
import { AsyncError } from '../errors.js';
import type { SubmitInput } from '../types.js';
import type { RoomAccess } from './source-access.js';

/** A submission as it arrives in a body. */
export interface RawSubmission {
  query: unknown;
  deadline?: number;
  callbackUrl?: string;
}

const defaultSchemes = createDefaultSchemes();

/**
 * Turns raw submissions into checked inputs of the rooms, or refuses them all. Each query must be
 * a valid envelope of the connected organisation, and the rights must allow `query` on every room
 * it goes to (`rooms`: the query's source, or the members of a group).
 *
 * @throws AsyncError `ASYNC_BODY_INVALID` (with `index`), `ASYNC_ORGANISATION_MISMATCH`,
 *   `ASYNC_ACCESS_DENIED` (with `index`, `room` and the rights' `reason`).
 */
export async function checkSubmissions(
  access: RoomAccess,
  consumer: Principal,
  submissions: readonly RawSubmission[],
  options: {
    roomsOf: (query: QueryEnvelope) => string[];
    schemes?: IdentifierSchemes;
    signal?: AbortSignal;
  },
): Promise<SubmitInput[]> {
  const requester = organisationOf(consumer);
  const queries = submissions.map((s, index) => toQuery(s.query, index, options.schemes));

  for (const [index, query] of queries.entries()) {
    if (query.organisation !== requester) {
      throw new AsyncError('ASYNC_ORGANISATION_MISMATCH', 'A query names another organisation.', {
        context: { index },
      });
    }
    for (const room of options.roomsOf(query)) {
      const decision = await access.rights.authorize(
        {
          principal: consumer.id,
          action: 'query',
          source: room,
          purpose: query.purpose,
          legalBasis: query.legalBasis,
          case: query.case,
          official: query.official,
        },
        { signal: options.signal },
      );
      if (!decision.allowed) {
        throw new AsyncError('ASYNC_ACCESS_DENIED', 'The rights do not allow this query.', {
          context: { index, room, reason: decision.reason.code },
        });
      }
    }
  }

  return submissions.map((s, index) => ({
    query: queries[index]!,
    requester,
    ...(s.deadline !== undefined ? { deadline: s.deadline } : {}),
    ...(s.callbackUrl !== undefined ? { callbackUrl: s.callbackUrl } : {}),
  }));
}

function toQuery(value: unknown, index: number, schemes?: IdentifierSchemes): QueryEnvelope {
  try {
    return parseQuery(value, { schemes: schemes ?? defaultSchemes });
  } catch (err) {
    if (!(err instanceof CoreError)) throw err;
    throw new AsyncError('ASYNC_BODY_INVALID', 'A query is not a valid query envelope.', {
      context: { index, reason: err.code, path: err.context.path ?? null },
    });
  }
}
