// Security benchmark: JWS and XML-DSig sign/verify and certificate path validation per second,
// side by side with node:crypto's raw signatures and xml-crypto used the way its README shows.
import { randomUUID, sign, verify } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import xpath from 'xpath';
import {
  buildSoapEnvelope,
  CertificateValidator,
  createDevPki,
  JwsSigner,
  JwsVerifier,
  parseCrl,
  signSoapEnvelope,
  verifySoapEnvelope,
} from '../../packages/security/dist/index.js';
import { median, opsPerSecond, report, smoke } from '../lib/harness.mjs';

const runs = smoke ? 1 : Number(process.env.INTEROP_BENCH_RUNS ?? 5);
const seconds = smoke ? 0 : Number(process.env.INTEROP_BENCH_SECONDS ?? 0.7);

/** Iterations for one timed round of about `seconds`, from a short probe (smoke: a few dozen). */
async function sizeFor(fn) {
  if (smoke) return 30;
  const probe = 20;
  const start = process.hrtime.bigint();
  for (let i = 0; i < probe; i++) await fn(i);
  const each = Number(process.hrtime.bigint() - start) / 1e9 / probe;
  return Math.max(20, Math.round(seconds / each));
}

async function measure(fn) {
  return opsPerSecond(fn, { iterations: await sizeFor(fn), runs });
}

/**
 * Medians of `ours` and `baseline` with their timed rounds interleaved, so that load from other
 * work on a shared machine falls on both sides of a ratio alike.
 */
async function compare(ours, baseline) {
  const sizes = [await sizeFor(ours), await sizeFor(baseline)];
  const rates = [[], []];
  for (let r = 0; r < runs; r++) {
    for (const [i, fn] of [ours, baseline].entries()) {
      rates[i].push(await opsPerSecond(fn, { iterations: sizes[i], runs: 1, warmup: r === 0 }));
    }
  }
  return rates.map(median);
}

// A request body of about 2 KB: a batch of fictitious subject queries.
function requestBody() {
  const subjects = Array.from({ length: 22 }, (_, i) => ({
    ref: `subject-${String(i).padStart(4, '0')}`,
    dataset: 'register-of-benefits',
    purpose: 'eligibility-check',
  }));
  const body = JSON.stringify({ caseId: randomUUID(), legalBasis: 'ZUPJS-31', subjects });
  if (body.length < 1800 || body.length > 2300) throw new Error(`body is ${body.length} bytes`);
  return body;
}

// A SOAP 1.1 envelope of about 2 KB before signing (the Security header adds about 3 KB).
function soapEnvelope() {
  const items = Array.from(
    { length: 19 },
    (_, i) =>
      `<q:Subject><q:Ref>subject-${String(i).padStart(4, '0')}</q:Ref>` +
      `<q:Dataset>register-of-benefits</q:Dataset></q:Subject>`,
  ).join('');
  const envelope = buildSoapEnvelope(
    `<q:Query xmlns:q="urn:example:interop:query"><q:CaseId>${randomUUID()}</q:CaseId>${items}</q:Query>`,
  );
  if (envelope.length < 1800 || envelope.length > 2300) {
    throw new Error(`envelope is ${envelope.length} bytes`);
  }
  return envelope;
}

function validatorFor(pki, chainCache) {
  return new CertificateValidator({
    trustAnchors: [pki.root.certificate],
    // A WS-Security BinarySecurityToken carries the leaf only: the pool supplies the intermediate.
    intermediates: [pki.intermediate.certificate],
    crls: [parseCrl(pki.crl.der), parseCrl(pki.rootCrl.der)],
    ...(chainCache ? {} : { chainCache: false }),
  });
}

function chainOf(pki, issued) {
  return [issued.certificate, pki.intermediate.certificate];
}

const figures = {};

// --- JWS (ES256) against raw ECDSA P-256 -----------------------------------------------------
const ecPki = await createDevPki({ keyAlgorithm: 'ecdsa-p256' });
const ecSigner = ecPki.seal;
{
  const body = requestBody();
  const requestId = randomUUID();
  const bytes = Buffer.from(body);
  figures.jws_body_bytes = bytes.length;
  const signer = new JwsSigner({ key: ecSigner.key, certificateChain: chainOf(ecPki, ecSigner) });
  const cached = new JwsVerifier({ validator: validatorFor(ecPki, true) });
  const cold = new JwsVerifier({ validator: validatorFor(ecPki, false) });
  const jws = await signer.signRequest(body, { requestId });
  await cached.verifyRequest(jws, { body, requestId });
  await cold.verifyRequest(jws, { body, requestId });

  const privateKey = { key: ecSigner.key, dsaEncoding: 'ieee-p1363' };
  const publicKey = { key: ecSigner.certificate.publicKey, dsaEncoding: 'ieee-p1363' };
  const rawSignature = sign('sha256', bytes, privateKey);
  if (!verify('sha256', bytes, publicKey, rawSignature)) throw new Error('raw ECDSA check failed');

  figures.raw_ecdsa_sign_per_s = await measure(() => sign('sha256', bytes, privateKey));
  figures.jws_sign_per_s = await measure(() => signer.signRequest(body, { requestId }));
  [figures.jws_verify_cached_per_s, figures.raw_ecdsa_verify_per_s] = await compare(
    () => cached.verifyRequest(jws, { body, requestId }),
    () => {
      if (!verify('sha256', bytes, publicKey, rawSignature)) throw new Error('raw verify failed');
    },
  );
  figures.jws_verify_cold_per_s = await measure(() => cold.verifyRequest(jws, { body, requestId }));
  figures.jws_verify_ratio_to_raw =
    figures.jws_verify_cached_per_s / figures.raw_ecdsa_verify_per_s;
  figures.jws_sign_ratio_to_raw = figures.jws_sign_per_s / figures.raw_ecdsa_sign_per_s;
}

// --- XML-DSig on SOAP 1.1 / WS-Security, RSA-2048 and ECDSA P-256 -----------------------------
const rsaPki = await createDevPki({ keyAlgorithm: 'rsa-2048' });

/** The xml-crypto README way: parse, find the Signature by XPath, check the string. */
function xmlCryptoCheck(xml, publicCert) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signature = xpath.select1(
    "//*[local-name(.)='Signature' and namespace-uri(.)='http://www.w3.org/2000/09/xmldsig#']",
    doc,
  );
  const sig = new SignedXml({ publicCert });
  sig.loadSignature(signature);
  return sig.checkSignature(xml);
}

async function xmlFigures(pki, label, withBaseline) {
  const issued = pki.seal;
  const envelope = soapEnvelope();
  figures.soap_envelope_bytes = Buffer.byteLength(envelope);
  const signOptions = { privateKey: issued.key, certificates: chainOf(pki, issued) };
  const trust = validatorFor(pki, true);
  const verifyOptions = { trust, requiredKeyUsage: ['digitalSignature'] };

  figures[`xmldsig_${label}_sign_per_s`] = await measure(() =>
    signSoapEnvelope(envelope, signOptions),
  );
  // Signed now, so that the Timestamp stays fresh (5 minutes) during the verification rounds.
  const signed = signSoapEnvelope(envelope, signOptions);
  figures[`xmldsig_${label}_message_bytes`] = Buffer.byteLength(signed);
  await verifySoapEnvelope(signed, verifyOptions);
  const hardened = () => verifySoapEnvelope(signed, verifyOptions);
  if (!withBaseline) {
    figures[`xmldsig_${label}_verify_per_s`] = await measure(hardened);
    return;
  }

  // xml-crypto has no ECDSA: the README-style baseline exists for RSA only.
  if (!xmlCryptoCheck(signed, issued.certPem)) throw new Error('xml-crypto refused the message');
  [figures[`xmldsig_${label}_verify_per_s`], figures[`xmlcrypto_${label}_verify_per_s`]] =
    await compare(hardened, () => {
      if (!xmlCryptoCheck(signed, issued.certPem)) throw new Error('xml-crypto check failed');
    });

  // node:crypto's raw RSA PKCS#1 v1.5 with SHA-256 on the same key and the same bytes.
  const bytes = Buffer.from(signed);
  const rawSignature = sign('sha256', bytes, issued.key);
  figures[`raw_${label}_sign_per_s`] = await measure(() => sign('sha256', bytes, issued.key));
  figures[`raw_${label}_verify_per_s`] = await measure(() => {
    const key = issued.certificate.publicKey;
    if (!verify('sha256', bytes, key, rawSignature)) throw new Error('raw verify failed');
  });
}

await xmlFigures(rsaPki, 'rsa', true);
await xmlFigures(ecPki, 'ecdsa', false);
figures.xmldsig_verify_ratio_to_xmlcrypto =
  figures.xmldsig_rsa_verify_per_s / figures.xmlcrypto_rsa_verify_per_s;

// --- Path validation of leaf + intermediate to the root, with CRLs ----------------------------
{
  const chain = chainOf(ecPki, ecSigner);
  const options = { requiredKeyUsage: ['digitalSignature'] };
  const cached = validatorFor(ecPki, true);
  const cold = validatorFor(ecPki, false);
  await cached.validate(chain, options);
  figures.path_cold_per_s = await measure(() => cold.validate(chain, options));
  figures.path_fresh_validator_per_s = await measure(() =>
    validatorFor(ecPki, true).validate(chain, options),
  );
  figures.path_cached_per_s = await measure(() => cached.validate(chain, options));
}

const ok = report({
  name: 'security',
  backend: 'none',
  figures,
  targets: [
    { metric: 'jws_verify_ratio_to_raw', op: '>=', value: 0.5 },
    { metric: 'xmldsig_verify_ratio_to_xmlcrypto', op: '>=', value: 2.5 },
  ],
});
process.exit(ok ? 0 : 1);
