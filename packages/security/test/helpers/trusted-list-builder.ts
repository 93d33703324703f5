// Builds ETSI TS 119 612 trusted lists for tests with xmlbuilder2, and signs them with signXml.

import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { signXml, type DevIssued } from '../../src/index.js';
import type { Certificate } from '../../src/pki/certificate.js';

export const TSL_NS = 'http://uri.etsi.org/02231/v2#';
export const CA_QC = 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC';
export const QTST = 'http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST';
const STATUS = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';
export const GRANTED = `${STATUS}granted`;
export const WITHDRAWN = `${STATUS}withdrawn`;
export const UNDER_SUPERVISION = `${STATUS}undersupervision`;

/** One status period of a service. */
export interface PeriodSpec {
  type?: string;
  status: string;
  since: Date;
}

/** A service: its current period, its certificates and its history (newest first). */
export interface ServiceSpec extends PeriodSpec {
  name: string;
  certificates: readonly Certificate[];
  history?: readonly PeriodSpec[];
}

/** A list to build. */
export interface ListSpec {
  territory?: string;
  sequenceNumber?: number;
  issued: Date;
  /** `null` builds a closed list (empty NextUpdate). */
  nextUpdate: Date | null;
  providers: readonly { name: string; services: readonly ServiceSpec[] }[];
}

/** The list as XML text (unsigned). */
export function buildTrustedListXml(spec: ListSpec): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(TSL_NS, 'TrustServiceStatusList', {
    TSLTag: 'http://uri.etsi.org/19612/TSLTag',
  });

  const scheme = root.ele(TSL_NS, 'SchemeInformation');
  text(scheme, 'TSLVersionIdentifier', '5');
  text(scheme, 'TSLSequenceNumber', String(spec.sequenceNumber ?? 1));
  text(scheme, 'TSLType', 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric');
  names(scheme, 'SchemeOperatorName', 'Test Supervisory Body');
  text(scheme, 'SchemeTerritory', spec.territory ?? 'SI');
  text(scheme, 'ListIssueDateTime', iso(spec.issued));
  const next = scheme.ele(TSL_NS, 'NextUpdate');
  if (spec.nextUpdate) text(next, 'dateTime', iso(spec.nextUpdate));

  const providers = root.ele(TSL_NS, 'TrustServiceProviderList');
  for (const provider of spec.providers) {
    const tsp = providers.ele(TSL_NS, 'TrustServiceProvider');
    names(tsp.ele(TSL_NS, 'TSPInformation'), 'TSPName', provider.name);
    const services = tsp.ele(TSL_NS, 'TSPServices');
    for (const service of provider.services) {
      const node = services.ele(TSL_NS, 'TSPService');
      const info = node.ele(TSL_NS, 'ServiceInformation');
      period(info, service, service.name, service.certificates);
      if (service.history?.length) {
        const history = node.ele(TSL_NS, 'ServiceHistory');
        for (const old of service.history) {
          period(
            history.ele(TSL_NS, 'ServiceHistoryInstance'),
            old,
            service.name,
            service.certificates,
          );
        }
      }
    }
  }
  return root.end({ prettyPrint: true });
}

/** Signs `xml` as a whole with an enveloped signature by `signer` (its certificate in KeyInfo). */
export function signTrustedList(xml: string, signer: DevIssued): string {
  return signXml(xml, { privateKey: signer.key, certificates: [signer.certificate] });
}

function period(
  parent: XMLBuilder,
  spec: PeriodSpec,
  name: string,
  certificates: readonly Certificate[],
): void {
  text(parent, 'ServiceTypeIdentifier', spec.type ?? CA_QC);
  names(parent, 'ServiceName', name);
  const identity = parent.ele(TSL_NS, 'ServiceDigitalIdentity');
  for (const cert of certificates) {
    text(
      identity.ele(TSL_NS, 'DigitalId'),
      'X509Certificate',
      Buffer.from(cert.der).toString('base64'),
    );
  }
  text(parent, 'ServiceStatus', spec.status);
  text(parent, 'StatusStartingTime', iso(spec.since));
}

function text(parent: XMLBuilder, name: string, value: string): void {
  parent.ele(TSL_NS, name).txt(value);
}

function names(parent: XMLBuilder, name: string, value: string): void {
  parent.ele(TSL_NS, name).ele(TSL_NS, 'Name', { 'xml:lang': 'en' }).txt(value);
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
