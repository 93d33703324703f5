// A SOAP consumer for the tests: builds and signs Query envelopes, reads Answers and Faults.

import type { Clock } from '@interop-blocks/core';
import {
  buildSoapEnvelope,
  parseCertificates,
  parseXmlSafely,
  signSoapEnvelope,
  type Certificate,
  type DevIssued,
  type VerifiedSoapEnvelope,
} from '@interop-blocks/security';
import { create } from 'xmlbuilder2';
import { IO_FAULT_NS, datasetNamespace } from '../../src/index.js';

type XmlElement = VerifiedSoapEnvelope['body'];

/** The Query element of a query in the JSON shape (undefined fields are left out). */
export function queryElement(
  fields: Record<string, unknown>,
  namespace = datasetNamespace('furs.income'),
): string {
  const query = create().ele(namespace, 'io:Query');
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (name === 'subjects' && Array.isArray(value)) {
      const subjects = query.ele(namespace, 'io:subjects');
      for (const s of value as { scheme: string; id: string }[]) {
        const subject = subjects.ele(namespace, 'io:subject');
        subject.ele(namespace, 'io:scheme').txt(s.scheme);
        subject.ele(namespace, 'io:id').txt(s.id);
      }
    } else if (name === 'period' && typeof value === 'object' && value !== null) {
      const period = query.ele(namespace, 'io:period');
      for (const [k, v] of Object.entries(value)) period.ele(namespace, `io:${k}`).txt(String(v));
    } else {
      query.ele(namespace, `io:${name}`).txt(String(value));
    }
  }
  return query.end({ headless: true });
}

const chains = new WeakMap<DevIssued, Certificate[]>();

/** A signed SOAP query (WS-Security, certificate chain in KeyInfo/X509Data). */
export function signedQuery(
  payload: string,
  signer: DevIssued,
  options: { clock?: Clock } = {},
): string {
  let chain = chains.get(signer);
  if (!chain) chains.set(signer, (chain = parseCertificates(signer.chainPem)));
  return signSoapEnvelope(buildSoapEnvelope(payload), {
    privateKey: signer.key,
    certificates: chain,
    keyInfo: 'x509-data',
    clock: options.clock,
  });
}

/** The child elements of an element, by local name. */
function children(element: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let i = 0; i < element.childNodes.length; i++) {
    const node = element.childNodes.item(i);
    if (node && node.nodeType === 1) out.push(node as XmlElement);
  }
  return out;
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return children(element).find((c) => c.localName === name);
}

function textOf(element: XmlElement | undefined): string | undefined {
  return element?.textContent ?? undefined;
}

/** One answer as the tests compare it. */
export interface ReadAnswer {
  subject: { scheme: string | undefined; id: string | undefined };
  status: string | undefined;
  version?: string;
  records?: Record<string, string | null>[];
  reason?: { code: string | undefined; message?: string };
}

/** Reads the Answers element of a verified Body into plain objects. */
export function readAnswers(body: XmlElement): {
  namespace: string | null;
  requestId?: string;
  source?: string;
  requestHash?: string;
  answers: ReadAnswer[];
} {
  const root = children(body)[0]!;
  const answers = children(root)
    .filter((c) => c.localName === 'answer')
    .map((a) => {
      const subject = child(a, 'subject')!;
      const out: ReadAnswer = {
        subject: { scheme: textOf(child(subject, 'scheme')), id: textOf(child(subject, 'id')) },
        status: textOf(child(a, 'status')),
      };
      const version = textOf(child(a, 'version'));
      if (version !== undefined) out.version = version;
      const records = child(a, 'records');
      if (records) {
        out.records = children(records).map((r) =>
          Object.fromEntries(
            children(r).map((f) => [
              f.localName ?? '',
              f.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'nil') === 'true'
                ? null
                : (f.textContent ?? ''),
            ]),
          ),
        );
      }
      const reason = child(a, 'reason');
      if (reason) out.reason = { code: textOf(child(reason, 'code')) };
      return out;
    });
  return {
    namespace: root.namespaceURI,
    requestId: textOf(child(root, 'requestId')),
    source: textOf(child(root, 'source')),
    requestHash: textOf(child(root, 'requestHash')),
    answers,
  };
}

/** What a SOAP Fault says: faultcode, and the refusal's code and context in its detail. */
export function readFault(xml: Buffer): {
  faultcode: string | undefined;
  code: string | undefined;
  context: Record<string, string>;
} {
  const document = parseXmlSafely(xml);
  const fault = document.getElementsByTagNameNS(
    'http://schemas.xmlsoap.org/soap/envelope/',
    'Fault',
  )[0];
  const refusal = document.getElementsByTagNameNS(IO_FAULT_NS, 'refusal')[0];
  const context: Record<string, string> = {};
  for (const c of refusal ? children(refusal) : []) {
    if (c.localName === 'context') context[c.getAttribute('name') ?? ''] = c.textContent ?? '';
  }
  return {
    faultcode: fault ? textOf(child(fault, 'faultcode')) : undefined,
    code: refusal ? textOf(child(refusal, 'code')) : undefined,
    context,
  };
}
