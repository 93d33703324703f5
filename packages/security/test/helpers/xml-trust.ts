// The real certificate validator the XML-DSig tests trust: both development PKIs, with CRLs.

import { CertificateValidator } from '../../src/pki/certificate-validator.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { parseCrl } from '../../src/pki/crl.js';
import type { XmlWorld } from './xml-world.js';

export function trustedValidator(world: XmlWorld): CertificateValidator {
  const pkis = [world.ec, world.rsa];
  return new CertificateValidator({
    trustAnchors: pkis.map((p) => parseCertificate(p.root.certPem)),
    intermediates: pkis.map((p) => parseCertificate(p.intermediate.certPem)),
    crls: pkis.flatMap((p) => [parseCrl(p.crl.der), parseCrl(p.rootCrl.der)]),
  });
}

/** The code of the SecurityError a promise rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    throw err;
  }
  throw new Error('expected a refusal');
}
