// Reads the trust services of a list with their status history (ETSI TS 119 612 5.4 to 5.6).

import type { Element } from '@xmldom/xmldom';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import {
  dateTimeOf,
  malformed,
  multilingualName,
  optionalChild,
  requiredChild,
  requiredText,
  textOf,
  tslChildren,
} from './tsl-dom.js';

/** One period of a service: its type and status from `statusStartingTime` on. */
export interface ServiceStatusPeriod {
  /** ServiceTypeIdentifier (5.5.1), e.g. `http://uri.etsi.org/TrstSvc/Svctype/CA/QC`. */
  readonly type: string;
  /** ServiceName (5.5.2), in English where given. */
  readonly name: string;
  /** ServiceStatus (5.5.4) URI. */
  readonly status: string;
  /** StatusStartingTime (5.5.5). */
  readonly statusStartingTime: Date;
}

/** A trust service as listed: its current information, its history and its certificates. */
export interface TrustedListService extends ServiceStatusPeriod {
  /** TSPName (5.4.1) of the provider, in English where given. */
  readonly provider: string;
  /** The X509Certificate values of ServiceDigitalIdentity (5.5.3). */
  readonly certificates: readonly Certificate[];
  /** ServiceHistoryInstance entries (5.6), in list order (usually newest first). */
  readonly history: readonly ServiceStatusPeriod[];
}

/**
 * Reads every TSPService of every TrustServiceProvider.
 * @throws SecurityError `TL_MALFORMED` when a service lacks a required field or a certificate of
 *   its digital identity cannot be parsed.
 */
export function readServices(root: Element): TrustedListService[] {
  const list = optionalChild(root, 'TrustServiceProviderList');
  if (!list) return [];

  const services: TrustedListService[] = [];
  for (const tsp of tslChildren(list, 'TrustServiceProvider')) {
    const provider = multilingualName(requiredChild(tsp, 'TSPInformation'), 'TSPName');
    for (const service of tslChildren(requiredChild(tsp, 'TSPServices'), 'TSPService')) {
      const info = requiredChild(service, 'ServiceInformation');
      const history = optionalChild(service, 'ServiceHistory');
      services.push({
        provider,
        ...readPeriod(info),
        certificates: readCertificates(requiredChild(info, 'ServiceDigitalIdentity')),
        history: history ? tslChildren(history, 'ServiceHistoryInstance').map(readPeriod) : [],
      });
    }
  }
  return services;
}

/**
 * 5.5.1 to 5.5.5, shared by ServiceInformation and ServiceHistoryInstance (5.6).
 * TODO(trusted-list): ServiceInformationExtensions (5.5.9: Qualifications, additional service
 * information such as ForeSignatures / ForeSeals) are not read, so a CA/QC service anchors every
 * kind of qualified certificate; the certificate's QcStatements tell the kind.
 */
function readPeriod(element: Element): ServiceStatusPeriod {
  return {
    type: requiredText(element, 'ServiceTypeIdentifier'),
    name: multilingualName(element, 'ServiceName'),
    status: requiredText(element, 'ServiceStatus'),
    statusStartingTime: dateTimeOf(
      requiredText(element, 'StatusStartingTime'),
      'StatusStartingTime',
    ),
  };
}

/** 5.5.3: the X509Certificate values; X509SubjectName, X509SKI and others identify, not anchor. */
function readCertificates(identity: Element): Certificate[] {
  return tslChildren(identity, 'DigitalId').flatMap((id) =>
    tslChildren(id, 'X509Certificate').map((element) => {
      const base64 = textOf(element).replace(/\s+/g, '');
      try {
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('not base64');
        return parseCertificate(new Uint8Array(Buffer.from(base64, 'base64')));
      } catch (cause) {
        return malformed('an X509Certificate cannot be parsed.', 'X509Certificate', cause);
      }
    }),
  );
}
