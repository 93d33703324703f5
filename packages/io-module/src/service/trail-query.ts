// Trails each answered subject, and each refused request, through the Security Platform's trail.

import { requestHash, type Principal, type TrailAppender } from '@interop-blocks/security';
import type { IoError } from '../errors.js';
import type { AnswerPlan, BuiltAnswers } from './build-answers.js';

/** The binding a query came over, recorded in the trail's details. */
export type QueryBinding = 'json' | 'soap';

/** What binds a trailed answer to what was sent: its hash, and the binding. */
export interface SentAnswer {
  /** Base64url SHA-256 of the answer bytes sent. */
  answerHash: string;
  binding: QueryBinding;
}

/**
 * One record per subject: who, which official, why, on which basis, for which case, the dataset,
 * the fields released, the version, the status and the hashes binding request and answer. The
 * answer is sent only after every record is acknowledged.
 */
export async function trailQuery(
  trail: TrailAppender,
  consumer: Principal,
  plan: AnswerPlan,
  built: BuiltAnswers,
  sent: SentAnswer,
): Promise<void> {
  const { batch, decision } = plan;
  await Promise.all(
    built.batch.answers.map((answer) =>
      trail.append({
        action: 'query',
        principal: consumer.id,
        official: batch.official,
        source: batch.source,
        subject: answer.subject,
        purpose: batch.purpose,
        legalBasis: batch.legalBasis,
        case: batch.case,
        decision: answer.status === 'refused' ? 'refused' : 'allowed',
        reasonCode: 'reason' in answer ? answer.reason.code : decision.reason.code,
        status: answer.status,
        requestId: batch.requestId,
        requestHash: plan.requestHash,
        answerHash: sent.answerHash,
        details: {
          fields: built.fields.join(','),
          version: built.version?.id ?? null,
          binding: sent.binding,
        },
      }),
    ),
  );
}

/** One record for a request refused as a whole; the body is untrusted, so only what is known. */
export async function trailRefusal(
  trail: TrailAppender,
  input: { consumer: Principal; dataset: string; body: Buffer },
  err: IoError,
  binding: QueryBinding,
): Promise<void> {
  await trail.append({
    action: 'query',
    principal: input.consumer.id,
    source: /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(input.dataset)
      ? input.dataset.slice(0, 128)
      : undefined,
    decision: 'refused',
    reasonCode: err.code,
    requestHash: requestHash(input.body),
    details: { binding },
  });
}
