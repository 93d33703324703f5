// A deterministic synthetic income dataset: N subjects with valid personal numbers, 3 records each.
import { emsoWithCheckDigit } from '../../packages/core/dist/index.js';

export const declaration = {
  id: 'furs.income',
  title: 'Synthetic income by payer and month',
  owner: 'VATSI-10000005',
  subjectKeys: [{ scheme: 'emso', field: 'emso' }],
  recordSchema: {
    type: 'object',
    properties: {
      emso: { type: 'string' },
      month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
      payer: { type: 'string' },
      amount: { type: 'number' },
      kind: { type: 'string', enum: ['salary', 'pension', 'benefit'] },
    },
    required: ['emso', 'month', 'amount', 'kind'],
    additionalProperties: false,
  },
  purposes: { 'child-benefit': { fields: ['month', 'amount', 'kind'] } },
  keepVersions: 2,
};

/** The personal number of synthetic subject n (0 <= n < 3,650,000): distinct and valid. */
export function syntheticEmso(n) {
  const day = n % 3650;
  const serial = Math.floor(n / 3650) % 1000;
  const birth = new Date(Date.UTC(1950, 0, 1 + day * 5 + Math.floor(n / 3_650_000)));
  const dd = String(birth.getUTCDate()).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const yyy = String(birth.getUTCFullYear()).slice(1);
  return emsoWithCheckDigit(`${dd}${mm}${yyy}50${String(serial).padStart(3, '0')}`);
}

const KINDS = ['salary', 'pension', 'benefit'];

/** NDJSON text of subjects 0..count-1, in chunks of about 1 MB, generated lazily. */
export async function* syntheticNdjson(count, recordsPerSubject = 3) {
  let chunk = '';
  for (let n = 0; n < count; n++) {
    const emso = syntheticEmso(n);
    for (let m = 0; m < recordsPerSubject; m++) {
      const amount = 500 + ((n * 7919 + m * 104729) % 300000) / 100;
      chunk += `{"emso":"${emso}","month":"2025-${String(m + 1).padStart(2, '0')}","payer":"payer-${n % 997}","amount":${amount},"kind":"${KINDS[(n + m) % 3]}"}\n`;
    }
    if (chunk.length > 1_000_000) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
