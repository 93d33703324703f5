// The query service, independent of transport: checks, authorises, answers, signs and trails a query.

import {
  CoreError,
  InteropError,
  createDefaultSchemes,
  parseQueryBatch,
  systemClock,
  type Clock,
  type IdentifierSchemes,
  type QueryBatch,
} from '@interop-blocks/core';
import {
  requestHash,
  type JwsSigner,
  type JwsVerifier,
  type Principal,
  type Rights,
  type TrailAppender,
} from '@interop-blocks/security';
import type { DistributionCopy } from '../copy/distribution-copy.js';
import { IoError } from '../errors.js';
import { buildAnswers, type AnswerPlan } from './build-answers.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { trailQuery, trailRefusal } from './trail-query.js';

/** What the service needs: the copy, the Security Platform's rights, trail and signatures. */
export interface IoQueryServiceOptions {
  copy: DistributionCopy;
  rights: Rights;
  trail: TrailAppender;
  /** Signs answers with the owner's key (JWS, bound to the request by hash). */
  signer: JwsSigner;
  /** Verifies query signatures; its `resolvePrincipal` maps the signer to a registered principal. */
  verifier: JwsVerifier<Principal>;
  schemes?: IdentifierSchemes;
  clock?: Clock;
  /** Default rate limit per consumer, in subjects per second; none when absent. */
  rateLimit?: RateLimit;
  /** Rate limits of named consumers (by principal id). */
  consumerRateLimits?: ReadonlyMap<string, RateLimit>;
}

/** One query as received: who is connected, to which dataset, the exact bytes and signature. */
export interface QueryInput {
  consumer: Principal;
  dataset: string;
  body: Buffer;
  signature: string | undefined;
  signal?: AbortSignal;
}

/** The answer: the exact bytes to send and their signature. */
export interface QueryOutput {
  body: Buffer;
  signature: string;
}

/**
 * Answers batch queries on a distribution copy: every query is authenticated (TLS consumer and
 * JWS signer of the same organisation), justified (purpose, legal basis, case, official),
 * authorised by the rights of the Security Platform, reduced to the fields the purpose may see,
 * signed and bound to its request by hash, and trailed subject by subject before it is sent.
 */
export class IoQueryService {
  readonly #options: IoQueryServiceOptions;
  readonly #schemes: IdentifierSchemes;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;

  constructor(options: IoQueryServiceOptions) {
    this.#options = options;
    this.#schemes = options.schemes ?? createDefaultSchemes();
    this.#clock = options.clock ?? systemClock;
    this.#limiter = new RateLimiter(this.#clock, options.rateLimit, options.consumerRateLimits);
  }

  /** The distribution copy served. */
  get copy(): DistributionCopy {
    return this.#options.copy;
  }

  /** The rights service that authorises queries. */
  get rights(): Rights {
    return this.#options.rights;
  }

  /**
   * Answers one query. Refusals of the request as a whole throw; refusals by rights are answers.
   *
   * @throws IoError `IO_JSON_MALFORMED`, `IO_SIGNATURE_MISSING`, `IO_SIGNATURE_INVALID`,
   *   `IO_SIGNER_MISMATCH`, `IO_ENVELOPE_INVALID`, `IO_JUSTIFICATION_MISSING`,
   *   `IO_SOURCE_MISMATCH`, `IO_ORGANISATION_MISMATCH`, `IO_DATASET_UNKNOWN`,
   *   `IO_BATCH_TOO_LARGE`, `IO_SUBJECT_INVALID`, `IO_RATE_LIMITED`. Each is trailed as a refusal.
   */
  async handleQuery(input: QueryInput): Promise<QueryOutput> {
    try {
      return await this.#answer(input);
    } catch (err) {
      if (err instanceof IoError) {
        await trailRefusal(this.#options.trail, input, err);
      }
      throw err;
    }
  }

  async #answer(input: QueryInput): Promise<QueryOutput> {
    const { consumer, body } = input;
    const parsed = parseJson(body);
    const batch = await this.#checkRequest(input, parsed);
    const dataset = this.#options.copy.dataset(input.dataset);

    const wait = this.#limiter.take(consumer.id, batch.subjects.length);
    if (wait > 0) {
      throw new IoError('IO_RATE_LIMITED', 'Rate limit exceeded.', {
        context: { consumer: consumer.id, retryAfterMs: wait },
      });
    }

    const decision = await this.#options.rights.authorize(
      {
        principal: consumer.id,
        action: 'query',
        source: dataset.id,
        purpose: batch.purpose,
        legalBasis: batch.legalBasis,
        case: batch.case,
        official: batch.official,
      },
      { signal: input.signal },
    );
    const plan: AnswerPlan = {
      dataset,
      batch,
      decision,
      answeredAt: this.#clock.now(),
      requestHash: requestHash(body),
    };
    const answers = await buildAnswers(this.#options.copy, plan);

    const answerBody = Buffer.from(JSON.stringify(answers.batch));
    const signature = await this.#options.signer.signAnswer(answerBody, {
      requestId: batch.requestId,
      requestHash: plan.requestHash,
    });
    await trailQuery(this.#options.trail, consumer, plan, answers, requestHash(answerBody));
    return { body: answerBody, signature };
  }

  async #checkRequest(input: QueryInput, parsed: unknown): Promise<QueryBatch> {
    const requestId = (parsed as { requestId?: unknown }).requestId;
    if (input.signature === undefined || input.signature === '') {
      throw new IoError('IO_SIGNATURE_MISSING', 'The query carries no signature.');
    }
    let signer: Principal | undefined;
    try {
      const verified = await this.#options.verifier.verifyRequest(input.signature, {
        body: input.body,
        requestId: typeof requestId === 'string' ? requestId : '',
        signal: input.signal,
      });
      signer = verified.principal;
    } catch (err) {
      if (!InteropError.is(err)) throw err;
      throw new IoError('IO_SIGNATURE_INVALID', 'The query signature does not verify.', {
        context: { jwsCode: err.code },
        cause: err,
      });
    }
    if (!signer || organisationOf(signer) !== organisationOf(input.consumer)) {
      throw new IoError('IO_SIGNER_MISMATCH', 'The query was signed by another organisation.');
    }

    const batch = toBatch(parsed);
    if (batch.source !== input.dataset) {
      throw new IoError('IO_SOURCE_MISMATCH', 'The query names another source than its URL.', {
        context: { dataset: input.dataset.slice(0, 128) },
      });
    }
    if (batch.organisation !== organisationOf(input.consumer)) {
      throw new IoError('IO_ORGANISATION_MISMATCH', 'The query names another organisation.');
    }
    const dataset = this.#options.copy.dataset(input.dataset);
    if (batch.subjects.length > dataset.maxBatch) {
      throw new IoError('IO_BATCH_TOO_LARGE', 'Too many subjects in one query.', {
        context: { asked: batch.subjects.length, limit: dataset.maxBatch },
      });
    }
    batch.subjects.forEach((subject, index) => {
      try {
        batch.subjects[index] = this.#schemes.parse(subject);
      } catch (err) {
        if (!(err instanceof CoreError)) throw err;
        throw new IoError('IO_SUBJECT_INVALID', 'A subject identifier is invalid.', {
          context: { index, reason: err.code },
        });
      }
    });
    return batch;
  }
}

function parseJson(body: Buffer): unknown {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // fall through to the refusal
  }
  throw new IoError('IO_JSON_MALFORMED', 'The body is not a JSON object.');
}

const JUSTIFICATION = new Set(['purpose', 'legalBasis', 'case', 'organisation', 'official']);

/** Accepts a batch, or a single-subject query turned into a batch of one. */
function toBatch(value: unknown): QueryBatch {
  const record = value as Record<string, unknown>;
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

function organisationOf(principal: Principal): string {
  return principal.kind === 'organisation'
    ? principal.id
    : (principal.organisationId ?? principal.id);
}
