// Generates the WSDL 1.1 of a dataset's SOAP 1.1 binding (document/literal) from its declaration.

import { create } from 'xmlbuilder2';
import type { Dataset } from '../dataset/define-dataset.js';
import {
  IO_FAULT_NS,
  SOAP_HTTP_TRANSPORT,
  WSDL_NS,
  WSDL_SOAP_NS,
  XSD_NS,
  datasetNamespace,
} from './soap-namespaces.js';
import { appendWsdlTypes } from './wsdl-types.js';

/**
 * Builds the WSDL 1.1 document of a dataset: types (the Query and Answers elements, the record's
 * children from the record schema, the fault's refusal), messages, a portType with the one
 * operation `Query`, a SOAP 1.1 binding (document/literal, WS-I Basic Profile 1.1) and the
 * service with its endpoint. WS-Security (signed Body and Timestamp, both ways) is stated in the
 * documentation, not as WS-SecurityPolicy assertions.
 *
 * @param dataset - The declared dataset.
 * @param endpoint - The absolute URL of the dataset's SOAP endpoint.
 * @returns The WSDL as text.
 * @example
 * ```ts
 * const wsdl = buildWsdl(copy.dataset('furs.income'), 'https://io.example/io/v1/furs.income/soap');
 * ```
 */
export function buildWsdl(dataset: Dataset, endpoint: string): string {
  const ns = datasetNamespace(dataset.id);
  const purposes = Object.keys(dataset.declaration.purposes).join(', ') || 'none';
  // TODO(io-soap): WS-SecurityPolicy 1.2 assertions would let toolkits configure signing from
  // the WSDL; the requirement is described in wsdl:documentation only.
  const definitions = create().ele(WSDL_NS, 'wsdl:definitions', {
    name: ncName(dataset.id),
    targetNamespace: ns,
    'xmlns:tns': ns,
    'xmlns:f': IO_FAULT_NS,
    'xmlns:soap': WSDL_SOAP_NS,
    'xmlns:xsd': XSD_NS,
  });
  definitions
    .ele(WSDL_NS, 'wsdl:documentation')
    .txt(
      `${dataset.declaration.title} (${dataset.id}, owner ${dataset.declaration.owner}). ` +
        `Purposes served: ${purposes}. Over mutual TLS; the request and the answer are signed ` +
        'with WS-Security 1.1 (X.509 token profile): one XML-DSig signature over soap:Body and ' +
        'wsu:Timestamp, exclusive c14n, SHA-256. Answers carry the base64url SHA-256 of the ' +
        'exact request bytes in requestHash.',
    );
  appendWsdlTypes(definitions.ele(WSDL_NS, 'wsdl:types'), dataset);

  for (const [name, element] of [
    ['QueryRequest', 'tns:Query'],
    ['QueryResponse', 'tns:Answers'],
    ['QueryFault', 'f:refusal'],
  ] as const) {
    definitions
      .ele(WSDL_NS, 'wsdl:message', { name })
      .ele(WSDL_NS, 'wsdl:part', { name: name === 'QueryFault' ? 'fault' : 'parameters', element });
  }

  const operation = definitions
    .ele(WSDL_NS, 'wsdl:portType', { name: 'QueryPortType' })
    .ele(WSDL_NS, 'wsdl:operation', { name: 'Query' });
  operation.ele(WSDL_NS, 'wsdl:input', { message: 'tns:QueryRequest' });
  operation.ele(WSDL_NS, 'wsdl:output', { message: 'tns:QueryResponse' });
  operation.ele(WSDL_NS, 'wsdl:fault', { name: 'QueryFault', message: 'tns:QueryFault' });

  // WSDL 1.1 section 3: the SOAP binding, document style, literal use.
  const binding = definitions.ele(WSDL_NS, 'wsdl:binding', {
    name: 'QueryBinding',
    type: 'tns:QueryPortType',
  });
  binding.ele(WSDL_SOAP_NS, 'soap:binding', { style: 'document', transport: SOAP_HTTP_TRANSPORT });
  const bound = binding.ele(WSDL_NS, 'wsdl:operation', { name: 'Query' });
  bound.ele(WSDL_SOAP_NS, 'soap:operation', { soapAction: `${ns}#Query`, style: 'document' });
  bound.ele(WSDL_NS, 'wsdl:input').ele(WSDL_SOAP_NS, 'soap:body', { use: 'literal' });
  bound.ele(WSDL_NS, 'wsdl:output').ele(WSDL_SOAP_NS, 'soap:body', { use: 'literal' });
  bound
    .ele(WSDL_NS, 'wsdl:fault', { name: 'QueryFault' })
    .ele(WSDL_SOAP_NS, 'soap:fault', { name: 'QueryFault', use: 'literal' });

  definitions
    .ele(WSDL_NS, 'wsdl:service', { name: `${ncName(dataset.id)}_Service` })
    .ele(WSDL_NS, 'wsdl:port', { name: 'QueryPort', binding: 'tns:QueryBinding' })
    .ele(WSDL_SOAP_NS, 'soap:address', { location: endpoint });
  return definitions.end({ prettyPrint: true });
}

/** The dataset id as an NCName (XML Namespaces 1.0 section 3): separators as underscores. */
function ncName(datasetId: string): string {
  return datasetId.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
}
