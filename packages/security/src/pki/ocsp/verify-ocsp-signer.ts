// Finds who signed a BasicOCSPResponse and checks that it may answer for the CA (RFC 6960 4.2.2.2).

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../../errors.js';
import { certificateExtensions } from '../cert-extensions.js';
import { parseCertificate, type Certificate } from '../certificate.js';
import { keyHashOf, sameBytes } from './cert-id.js';
import { OID_KP_OCSP_SIGNING, OID_OCSP_NOCHECK } from './ocsp-oids.js';
import type { RevocationChecker } from '../revocation.js';
import { checkSignature } from './sign-data.js';

/** How the signer of a response is checked. */
export interface SignerPolicy {
  /** The time the delegated responder certificate must be valid at. */
  now: Date;
  clockSkewMs: number;
  allowSha1: boolean;
  /** Checks a delegated responder certificate without id-pkix-ocsp-nocheck; `skip` trusts it. */
  responderRevocation?: RevocationChecker | 'skip';
  signal?: AbortSignal;
}

/**
 * Returns the certificate that signed `basic`, after checking the signature and that the signer is
 * the CA `issuer` itself or a responder it delegated to.
 *
 * @throws SecurityError `PKI_OCSP_RESPONSE_INVALID` (bad or unsupported signature, unreadable
 *   certificate), `PKI_OCSP_SIGNER_UNAUTHORISED` (the signer is neither the CA nor a delegated
 *   responder of it).
 */
export async function verifyOcspSigner(
  basic: pkijs.BasicOCSPResponse,
  issuer: Certificate,
  policy: SignerPolicy,
): Promise<Certificate> {
  // RFC 6960 4.2.1: the ResponderID names the signer by name or by the SHA-1 of its key.
  const candidates = [issuer, ...embeddedCertificates(basic)].filter((c) =>
    responderIdNames(basic.tbsResponseData.responderID, c),
  );
  if (candidates.length === 0) {
    throw unauthorised(
      'The OCSP response is signed by neither the CA nor a certificate it carries.',
    );
  }

  // RFC 6960 3.2 (2): the signature on the response is valid.
  const signer = candidates.find((c) => signatureVerdict(basic, c, policy) === 'valid');
  if (!signer) {
    const verdict = signatureVerdict(basic, candidates[0]!, policy);
    throw new SecurityError(
      'PKI_OCSP_RESPONSE_INVALID',
      'The OCSP response signature is not valid.',
      {
        context: { reason: verdict },
      },
    );
  }

  // RFC 6960 4.2.2.2: the CA itself may sign, or a responder whose certificate it issued.
  if (isSameAuthority(signer, issuer)) return signer;
  await checkDelegatedResponder(signer, issuer, policy);
  return signer;
}

/** RFC 6960 4.2.2.2: checks a delegated responder certificate issued by `issuer`. */
async function checkDelegatedResponder(
  responder: Certificate,
  issuer: Certificate,
  policy: SignerPolicy,
): Promise<void> {
  // "issued directly by the CA that is identified in the request".
  const issuedByCa =
    sameBytes(responder.issuer.der, issuer.subject.der) &&
    checkSignature(
      responder.raw.signatureAlgorithm,
      responder.raw.tbsView,
      responder.raw.signatureValue.valueBlock.valueHexView,
      issuer.publicKey,
      { allowSha1: policy.allowSha1 },
    ) === 'valid';
  if (!issuedByCa) throw unauthorised('The OCSP responder certificate was not issued by the CA.');

  // "includes the value of id-kp-OCSPSigning in an extended key usage extension".
  const extensions = readExtensions(responder);
  if (!extensions.extKeyUsage?.includes(OID_KP_OCSP_SIGNING)) {
    throw unauthorised('The OCSP responder certificate lacks id-kp-OCSPSigning.');
  }
  // RFC 5280 4.2.1.3: if key usage is present, it must allow signing.
  const usage = extensions.keyUsage;
  if (usage && !usage.has('digitalSignature') && !usage.has('nonRepudiation')) {
    throw unauthorised('The OCSP responder certificate key usage does not allow signing.');
  }
  const now = policy.now.getTime();
  if (
    now + policy.clockSkewMs < responder.notBefore.getTime() ||
    now - policy.clockSkewMs > responder.notAfter.getTime()
  ) {
    throw unauthorised('The OCSP responder certificate is not valid now.');
  }

  // RFC 6960 4.2.2.2.1: no revocation check with id-pkix-ocsp-nocheck; otherwise as configured.
  if (hasExtension(responder, OID_OCSP_NOCHECK) || policy.responderRevocation === 'skip') return;
  if (!policy.responderRevocation) {
    throw unauthorised(
      'The OCSP responder certificate has no id-pkix-ocsp-nocheck and no way to check it is set.',
    );
  }
  const status = await policy.responderRevocation.check(responder, issuer, {
    time: policy.now,
    ...(policy.signal ? { signal: policy.signal } : {}),
  });
  if (status.status !== 'good') {
    throw unauthorised('The OCSP responder certificate is revoked or its status is unknown.');
  }
}

function signatureVerdict(
  basic: pkijs.BasicOCSPResponse,
  signer: Certificate,
  policy: SignerPolicy,
): string {
  return checkSignature(
    basic.signatureAlgorithm,
    basic.tbsResponseData.tbsView,
    basic.signature.valueBlock.valueHexView,
    signer.publicKey,
    { allowSha1: policy.allowSha1 },
  );
}

function embeddedCertificates(basic: pkijs.BasicOCSPResponse): Certificate[] {
  return (basic.certs ?? []).map((c) => {
    try {
      return parseCertificate(new Uint8Array(c.toSchema().toBER(false)));
    } catch (cause) {
      throw new SecurityError(
        'PKI_OCSP_RESPONSE_INVALID',
        'A certificate in the OCSP response cannot be read.',
        { context: { reason: 'certificate' }, cause },
      );
    }
  });
}

function responderIdNames(responderId: unknown, cert: Certificate): boolean {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) {
    return sameBytes(new Uint8Array(responderId.toSchema().toBER(false)), cert.subject.der);
  }
  if (responderId instanceof asn1js.OctetString) {
    return sameBytes(responderId.valueBlock.valueHexView, keyHashOf(cert));
  }
  return false;
}

/** The CA's own certificate, or another certificate of the same CA name and key (a renewal). */
function isSameAuthority(signer: Certificate, issuer: Certificate): boolean {
  if (sameBytes(signer.der, issuer.der)) return true;
  return (
    sameBytes(signer.subject.der, issuer.subject.der) &&
    sameBytes(keyHashOf(signer), keyHashOf(issuer))
  );
}

function hasExtension(cert: Certificate, oid: string): boolean {
  return (cert.raw.extensions ?? []).some((e) => e.extnID === oid);
}

function readExtensions(cert: Certificate): ReturnType<typeof certificateExtensions> {
  try {
    return certificateExtensions(cert.raw);
  } catch {
    throw unauthorised('The OCSP responder certificate has malformed extensions.');
  }
}

function unauthorised(message: string): SecurityError {
  return new SecurityError('PKI_OCSP_SIGNER_UNAUTHORISED', message);
}
