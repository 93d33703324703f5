// Namespaces of the SOAP 1.1 binding: SOAP, WS-Security, XSD, WSDL and the IO-Module's own.

/** SOAP 1.1 envelope namespace (SOAP 1.1 section 4). */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
/** WS-Security 1.0 secext namespace: the Security header the service understands. */
export const WSSE_NS =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
/** XML Schema instance namespace (`xsi:nil`). */
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
/** XML Schema namespace. */
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
/** WSDL 1.1 namespace. */
export const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
/** WSDL 1.1 SOAP 1.1 binding namespace (WSDL 1.1 section 3). */
export const WSDL_SOAP_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
/** The SOAP over HTTP transport URI of a WSDL SOAP binding. */
export const SOAP_HTTP_TRANSPORT = 'http://schemas.xmlsoap.org/soap/http';

/** Namespace of the refusal carried in a SOAP Fault's detail, the same for every dataset. */
export const IO_FAULT_NS = 'urn:interop-blocks:io:1:fault';

/**
 * The namespace of a dataset's Query and Answers elements, `urn:interop-blocks:io:1:<dataset>`:
 * each dataset's WSDL declares its own Record type, so two datasets never share a type name.
 */
export function datasetNamespace(datasetId: string): string {
  return `urn:interop-blocks:io:1:${datasetId}`;
}
