// Checks the options of openTrail() and fills in the defaults.

import { SecurityError } from '../errors.js';
import type { AppendQueueLimits } from './append-queue.js';
import type { OpenTrailOptions, TrailKey, TrailRetention } from './types.js';

/** The options of openTrail() with defaults applied. */
export interface ResolvedTrailOptions {
  name: string;
  /** The key new subject HMACs are made with. */
  hmacKey: TrailKey;
  limits: AppendQueueLimits;
  checkpointRecords: number;
  checkpointMs: number;
  keyPeriod: 'day' | 'month' | 'year';
  retention: TrailRetention;
}

const NAME = /^[a-z][a-z0-9._-]{0,62}$/;

/**
 * Validates `options`; messages name the option, never a key.
 * @throws SecurityError `TRAIL_CONFIG_INVALID`.
 */
export function resolveTrailOptions(options: OpenTrailOptions): ResolvedTrailOptions {
  if (!options?.store) invalid('store is required');
  if (typeof options.name !== 'string' || !NAME.test(options.name)) {
    invalid('name must be a lower-case word (letters, digits, . _ -), at most 63 characters');
  }
  checkKeys('subjectKeys.hmacKeys', options.subjectKeys?.hmacKeys);
  checkKeys('subjectKeys.masterKeys', options.subjectKeys?.masterKeys);
  const keyPeriod = options.subjectKeys.keyPeriod ?? 'month';
  if (!['day', 'month', 'year'].includes(keyPeriod)) invalid('subjectKeys.keyPeriod is unknown');
  if (!options.signer || typeof options.signer.sign !== 'function') invalid('signer is required');

  const maxRecords = options.batch?.maxRecords ?? 500;
  const maxDelayMs = options.batch?.maxDelayMs ?? 2;
  const maxQueued = options.batch?.maxQueued ?? maxRecords * 20;
  const checkpointRecords = options.checkpointEvery?.records ?? 1000;
  const checkpointMs = options.checkpointEvery?.ms ?? 60_000;
  positive('batch.maxRecords', maxRecords, 1);
  positive('batch.maxDelayMs', maxDelayMs, 0);
  positive('batch.maxQueued', maxQueued, maxRecords);
  positive('checkpointEvery.records', checkpointRecords, 1);
  positive('checkpointEvery.ms', checkpointMs, 1);
  checkRetention(options.retention ?? {});

  const [hmacKey] = options.subjectKeys.hmacKeys;
  if (!hmacKey) invalid('subjectKeys.hmacKeys needs at least one key');
  return {
    name: options.name,
    hmacKey,
    limits: { maxRecords, maxDelayMs, maxQueued },
    checkpointRecords,
    checkpointMs,
    keyPeriod,
    retention: options.retention ?? {},
  };
}

function checkKeys(option: string, keys: TrailKey[] | undefined): void {
  if (!Array.isArray(keys) || keys.length === 0) invalid(`${option} needs at least one key`);
  const ids = new Set<string>();
  for (const k of keys) {
    if (typeof k?.id !== 'string' || k.id.length === 0 || k.id.length > 100) {
      invalid(`${option} has a key without an id`);
    }
    if (ids.has(k.id)) invalid(`${option} has two keys with one id`);
    ids.add(k.id);
    if (!(k.key instanceof Uint8Array) || k.key.length !== 32)
      invalid(`${option} keys are 32 bytes`);
  }
}

function checkRetention(retention: TrailRetention): void {
  const ages = [retention.payloadsAfterMs, retention.keysAfterMs];
  for (const rule of retention.sources ?? []) {
    if (typeof rule.source !== 'string' || rule.source.length === 0) {
      invalid('retention.sources needs a source per rule');
    }
    ages.push(rule.payloadsAfterMs, rule.subjectsAfterMs);
  }
  for (const age of ages) if (age !== undefined) positive('retention ages', age, 0);
}

function positive(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min)
    invalid(`${option} must be an integer >= ${min}`);
}

function invalid(what: string): never {
  throw new SecurityError('TRAIL_CONFIG_INVALID', `Trail options: ${what}.`);
}
