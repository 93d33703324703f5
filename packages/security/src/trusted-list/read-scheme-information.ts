// Reads the SchemeInformation of a trusted list (ETSI TS 119 612 clause 5.3).

import type { Element } from '@xmldom/xmldom';
import {
  dateTimeOf,
  malformed,
  multilingualName,
  optionalChild,
  requiredChild,
  requiredText,
  textOf,
} from './tsl-dom.js';

/** What the list says about itself. */
export interface SchemeInformation {
  /** SchemeTerritory (5.3.10): ISO 3166-1 alpha-2, with `EL` for Greece and `EU` for the LOTL. */
  readonly territory: string;
  /** TSLSequenceNumber (5.3.2): grows by one with each issue. */
  readonly sequenceNumber: number;
  /** TSLType (5.3.3), e.g. `http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric`. */
  readonly type: string;
  /** SchemeOperatorName (5.3.4), in English where given. */
  readonly operatorName: string;
  /** ListIssueDateTime (5.3.14). */
  readonly issued: Date;
  /** NextUpdate (5.3.15); absent when the list is closed. */
  readonly nextUpdate?: Date;
}

/**
 * Reads `SchemeInformation` under the list's root element.
 * @throws SecurityError `TL_MALFORMED` when a required field is missing or has a bad value.
 */
export function readSchemeInformation(root: Element): SchemeInformation {
  const info = requiredChild(root, 'SchemeInformation');

  const sequence = requiredText(info, 'TSLSequenceNumber');
  if (!/^[1-9]\d{0,8}$/.test(sequence)) {
    malformed('TSLSequenceNumber is not a positive integer.', 'TSLSequenceNumber');
  }
  const territory = requiredText(info, 'SchemeTerritory');
  if (!/^[A-Z]{2}$/.test(territory)) {
    malformed('SchemeTerritory is not a two-letter code.', 'SchemeTerritory');
  }

  // 5.3.15: NextUpdate holds a dateTime, or nothing when the scheme operator closed the list.
  const next = requiredChild(info, 'NextUpdate');
  const nextText = textOf(optionalChild(next, 'dateTime') ?? next);
  return {
    territory,
    sequenceNumber: Number(sequence),
    type: requiredText(info, 'TSLType'),
    operatorName: multilingualName(info, 'SchemeOperatorName'),
    issued: dateTimeOf(requiredText(info, 'ListIssueDateTime'), 'ListIssueDateTime'),
    ...(nextText === '' ? {} : { nextUpdate: dateTimeOf(nextText, 'NextUpdate') }),
  };
}
