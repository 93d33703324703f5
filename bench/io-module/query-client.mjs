// Client process of the query benchmark: `node query-client.mjs '<json options>'` keeps
// `inFlight` requests going over keep-alive connections for a warm-up and then a measured window,
// and prints { subjects, requests, seconds, p50Ms, p99Ms, ... } as JSON on its last line.
// Against the full server it signs every query (JWS) and verifies the answer signature of one
// request in `verifyEvery`; against the baseline it sends the same subjects as plain JSON.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { newId } from '../../packages/core/dist/index.js';
import {
  CertificateValidator,
  JwsSigner,
  JwsVerifier,
  mtlsClientOptions,
  parseCertificate,
  parseCertificates,
  parseCrl,
} from '../../packages/security/dist/index.js';
import { percentile } from '../lib/harness.mjs';
import { subjectPicker } from './query-subjects.mjs';

const o = JSON.parse(process.argv[2]);
const full = o.target === 'io';
const pick = subjectPicker({ loaded: o.loaded, seed: o.seed });

function fullClient() {
  const id = JSON.parse(readFileSync(join(o.dir, 'client.json'), 'utf8'));
  const root = parseCertificate(id.rootPem);
  const key = createPrivateKey(id.keyPem);
  const validator = new CertificateValidator({
    trustAnchors: [root],
    crls: id.crls.map((b64) => parseCrl(Buffer.from(b64, 'base64'))),
  });
  return {
    agent: new Agent({
      connect: mtlsClientOptions({ key, certificateChain: id.chainPem, trustAnchors: [root] }),
      connections: o.inFlight,
      pipelining: 1,
    }),
    signer: new JwsSigner({ key, certificateChain: parseCertificates(id.chainPem) }),
    verifier: new JwsVerifier({ validator }),
  };
}
const client = full
  ? fullClient()
  : { agent: new Agent({ connections: o.inFlight, pipelining: 1 }) };

function queryBody(subjects) {
  if (!full) return { subjects };
  return {
    requestId: newId(),
    issuedAt: new Date().toISOString(),
    source: 'furs.income',
    subjects,
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    case: 'CSD-2026-0001',
    organisation: 'centre',
    official: 'official-7',
  };
}

const tally = { requests: 0, subjects: 0, notFound: 0, verified: 0, sent: 0, sentSubjects: 0 };
const latencies = [];

/** Sends one query of `o.batch` subjects; returns the answers, checked. */
async function oneQuery() {
  const subjects = Array.from({ length: o.batch }, () => ({ scheme: 'emso', id: pick() }));
  const body = queryBody(subjects);
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = { 'content-type': 'application/json' };
  if (full)
    headers['x-interop-signature'] = await client.signer.signRequest(bytes, {
      requestId: body.requestId,
    });

  const started = performance.now();
  const res = await request(o.url, {
    method: 'POST',
    dispatcher: client.agent,
    headers,
    body: bytes,
  });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const ms = performance.now() - started;
  if (res.statusCode !== 200) {
    throw new Error(`HTTP ${res.statusCode}: ${raw.toString('utf8').slice(0, 300)}`);
  }
  const answer = JSON.parse(raw.toString('utf8'));
  if (answer.answers.length !== o.batch) throw new Error('answer count differs from the query');

  tally.sent++;
  tally.sentSubjects += o.batch;
  if (full && tally.sent % o.verifyEvery === 0) {
    await client.verifier.verifyAnswer(res.headers['x-interop-signature'], {
      body: raw,
      requestId: body.requestId,
      requestBody: bytes,
    });
    tally.verified++;
  }
  return { answers: answer.answers, ms };
}

const t0 = performance.now();
const windowStart = t0 + o.warmupS * 1000;
const windowEnd = windowStart + o.durationS * 1000;

async function worker() {
  while (performance.now() < windowEnd) {
    const { answers, ms } = await oneQuery();
    const done = performance.now();
    if (done < windowStart || done > windowEnd) continue;
    tally.requests++;
    tally.subjects += answers.length;
    for (const a of answers) {
      if (a.status === 'not_found') tally.notFound++;
      else if (a.status !== 'found') throw new Error(`unexpected status ${a.status}`);
    }
    latencies.push(ms);
  }
}

await Promise.all(Array.from({ length: o.inFlight }, worker));
await client.agent.close();
console.log(
  JSON.stringify({
    subjects: tally.subjects,
    requests: tally.requests,
    seconds: o.durationS,
    subjectsPerS: tally.subjects / o.durationS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    notFoundShare: tally.notFound / Math.max(1, tally.subjects),
    verified: tally.verified,
    sentRequests: tally.sent,
    sentSubjects: tally.sentSubjects,
  }),
);
