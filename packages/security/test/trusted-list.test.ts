// Trusted lists built and signed by the tests: loading, anchors by status history, refusals.

import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@interop-blocks/core';
import {
  createDevPki,
  loadTrustedList,
  trustAnchorsFromTrustedLists,
  type DevIssued,
  type DevPki,
} from '../src/index.js';
import { parseCrl } from '../src/pki/crl.js';
import { validateCertificatePath } from '../src/pki/validate-path.js';
import {
  GRANTED,
  QTST,
  UNDER_SUPERVISION,
  WITHDRAWN,
  buildTrustedListXml,
  signTrustedList,
  type ListSpec,
} from './helpers/trusted-list-builder.js';

const DAY = 86_400_000;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);

let pki: DevPki;
let other: DevPki;
let listSigner: DevIssued;
let otherSigner: DevIssued;
let spec: ListSpec;

beforeAll(async () => {
  const tslSigning = {
    keyUsage: ['digitalSignature' as const, 'nonRepudiation' as const],
    // id-tsl-kp-tslSigning (ETSI TS 119 612 5.7.1).
    extendedKeyUsage: ['0.4.0.2231.3.0'],
  };
  [pki, other] = await Promise.all([
    createDevPki({ now, extras: [{ name: 'tl-signer', ...tslSigning }] }),
    createDevPki({ now, extras: [{ name: 'tl-signer', ...tslSigning }] }),
  ]);
  listSigner = pki.extras['tl-signer']!;
  otherSigner = other.extras['tl-signer']!;
  spec = {
    territory: 'SI',
    sequenceNumber: 42,
    issued: daysAgo(1),
    nextUpdate: new Date(now.getTime() + 30 * DAY),
    providers: [
      {
        name: 'Development QTSP',
        services: [
          // The CA of the qualified seal and personal certificates: granted since 100 days.
          {
            name: 'Qualified CA',
            status: GRANTED,
            since: daysAgo(100),
            certificates: [pki.intermediate.certificate],
          },
          // A timestamping service: granted, but not CA/QC.
          {
            name: 'Timestamps',
            type: QTST,
            status: GRANTED,
            since: daysAgo(100),
            certificates: [other.root.certificate],
          },
        ],
      },
      {
        name: 'Former QTSP',
        services: [
          // Withdrawn 10 days ago, granted from 200 to 10 days ago.
          {
            name: 'Former CA',
            status: WITHDRAWN,
            since: daysAgo(10),
            certificates: [other.intermediate.certificate],
            history: [{ status: GRANTED, since: daysAgo(200) }],
          },
        ],
      },
    ],
  };
});

const signed = (s: ListSpec = spec, signer: DevIssued = listSigner) =>
  signTrustedList(buildTrustedListXml(s), signer);
const load = (xml: string, extra: Partial<Parameters<typeof loadTrustedList>[1]> = {}) =>
  loadTrustedList(xml, { listSigners: [listSigner.certificate], ...extra });
const fingerprints = (certs: readonly { fingerprintSha256: string }[]) =>
  certs.map((c) => c.fingerprintSha256).sort();

describe('loading a trusted list', () => {
  it('reads the scheme information and the services, and verifies the signer', async () => {
    const list = await load(signed());

    expect(list).toMatchObject({ territory: 'SI', sequenceNumber: 42, stale: false });
    expect(list.issued.toISOString()).toBe(daysAgo(1).toISOString());
    expect(list.nextUpdate?.getTime()).toBe(now.getTime() + 30 * DAY);
    expect(list.signer.fingerprintSha256).toBe(listSigner.certificate.fingerprintSha256);
    expect(list.services.map((s) => s.name)).toEqual(['Qualified CA', 'Timestamps', 'Former CA']);
    expect(list.services[2]?.history).toHaveLength(1);
  });

  it('takes only CA/QC services granted now as anchors', async () => {
    const list = await load(signed());

    // Not the timestamping service (other.root), not the withdrawn CA (other.intermediate).
    expect(fingerprints(list.anchors)).toEqual([pki.intermediate.certificate.fingerprintSha256]);
  });

  it('takes a service withdrawn now but granted at an earlier validation time', async () => {
    const list = await load(signed(), { time: daysAgo(50) });

    expect(fingerprints(list.anchors)).toEqual(
      fingerprints([pki.intermediate.certificate, other.intermediate.certificate]),
    );
    // Before either service was listed, nothing is an anchor.
    expect(trustAnchorsFromTrustedLists([list], { time: daysAgo(300) })).toEqual([]);
    expect(fingerprints(trustAnchorsFromTrustedLists([list], { time: daysAgo(150) }))).toEqual([
      other.intermediate.certificate.fingerprintSha256,
    ]);
  });

  it('takes pre-eIDAS statuses as granted before 2016-07-01 only when asked', async () => {
    const old: ListSpec = {
      ...spec,
      providers: [
        {
          name: 'Old QTSP',
          services: [
            {
              name: 'Old CA',
              status: GRANTED,
              since: new Date('2016-07-01T00:00:00Z'),
              certificates: [pki.intermediate.certificate],
              history: [{ status: UNDER_SUPERVISION, since: new Date('2010-01-01T00:00:00Z') }],
            },
          ],
        },
      ],
    };
    const xml = signed(old);
    const in2015 = new Date('2015-06-01T00:00:00Z');

    expect((await load(xml, { time: in2015 })).anchors).toHaveLength(0);
    expect((await load(xml, { time: in2015, acceptPreEidasStatuses: true })).anchors).toHaveLength(
      1,
    );
    expect((await load(xml, { time: new Date('2017-01-01T00:00:00Z') })).anchors).toHaveLength(1);
  });

  it('lets a qualified dev PKI certificate validate with anchors from the list', async () => {
    const list = await load(signed());
    const anchors = trustAnchorsFromTrustedLists([list]);

    for (const qualified of [pki.person.certificate, pki.seal.certificate]) {
      const path = await validateCertificatePath(qualified, {
        trustAnchors: anchors,
        crls: [parseCrl(pki.crl.der)],
        revocation: { mode: 'require' },
      });
      expect(path.anchor.fingerprintSha256).toBe(pki.intermediate.certificate.fingerprintSha256);
    }
  });

  it('does not let a certificate of a withdrawn CA validate now', async () => {
    const list = await load(signed());

    const check = validateCertificatePath(other.person.certificate, {
      trustAnchors: trustAnchorsFromTrustedLists([list]),
      crls: [parseCrl(other.crl.der)],
    });

    await expect(check).rejects.toMatchObject({ code: 'PKI_PATH_UNTRUSTED' });
  });
});

describe('refusing a trusted list', () => {
  it('refuses a list with no signature', async () => {
    await expect(load(buildTrustedListXml(spec))).rejects.toMatchObject({
      code: 'TL_SIGNATURE_MISSING',
    });
  });

  it('refuses a list with two signatures', async () => {
    const twice = signTrustedList(signed(), listSigner);
    await expect(load(twice)).rejects.toMatchObject({ code: 'TL_SIGNATURE_COUNT' });
  });

  it('refuses a list whose content was changed after signing', async () => {
    const xml = signed();
    const tampered = xml.replace(WITHDRAWN, GRANTED);
    expect(tampered).not.toBe(xml);

    await expect(load(tampered)).rejects.toMatchObject({
      code: 'TL_SIGNATURE_INVALID',
      context: { xmlCode: 'XML_DIGEST_MISMATCH' },
    });
  });

  it('refuses a list signed by a certificate that is not configured', async () => {
    await expect(load(signed(spec, otherSigner))).rejects.toMatchObject({
      code: 'TL_SIGNER_UNTRUSTED',
    });
  });

  it('refuses a signer that merely chains to a configured certificate', async () => {
    const check = loadTrustedList(signed(), {
      listSigners: [pki.intermediate.certificate, pki.root.certificate],
    });
    await expect(check).rejects.toMatchObject({ code: 'TL_SIGNER_UNTRUSTED' });
  });

  it('refuses a list past its NextUpdate, or accepts it flagged stale when asked', async () => {
    const xml = signed({ ...spec, issued: daysAgo(40), nextUpdate: daysAgo(10) });

    await expect(load(xml)).rejects.toMatchObject({ code: 'TL_STALE' });
    const list = await load(xml, { acceptStale: true });
    expect(list.stale).toBe(true);
    expect(list.anchors).toHaveLength(1);
  });

  it('refuses a closed list (no NextUpdate)', async () => {
    await expect(load(signed({ ...spec, nextUpdate: null }))).rejects.toMatchObject({
      code: 'TL_STALE',
      context: { nextUpdate: 'closed' },
    });
  });

  it('uses the injected clock for NextUpdate', async () => {
    const xml = signed();
    const later = new ManualClock(now.getTime() + 31 * DAY);
    // The signer's certificate is valid for a year, so only NextUpdate fails.
    await expect(load(xml, { clock: later })).rejects.toMatchObject({ code: 'TL_STALE' });
  });

  it('refuses a list of another territory than expected', async () => {
    await expect(load(signed(), { territory: 'HR' })).rejects.toMatchObject({
      code: 'TL_TERRITORY_MISMATCH',
    });
  });

  it('refuses a DOCTYPE, an oversized list and a signed document that is not a list', async () => {
    const xml = signed();
    const withDoctype = xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '$&\n<!DOCTYPE x>');
    await expect(load(withDoctype)).rejects.toMatchObject({
      code: 'TL_MALFORMED',
      context: { xmlCode: 'XML_DOCTYPE_FORBIDDEN' },
    });
    await expect(load(xml, { maxBytes: 1024 })).rejects.toMatchObject({
      code: 'TL_MALFORMED',
      context: { xmlCode: 'XML_TOO_LARGE' },
    });
    const notAList = signTrustedList('<Other xmlns="urn:x"><a>1</a></Other>', listSigner);
    await expect(load(notAList)).rejects.toMatchObject({ code: 'TL_MALFORMED' });
  });

  it('refuses a signed list with a missing field or an unreadable certificate', async () => {
    const noSequence = signTrustedList(
      buildTrustedListXml(spec).replace(/<TSLSequenceNumber>42<\/TSLSequenceNumber>/, ''),
      listSigner,
    );
    await expect(load(noSequence)).rejects.toMatchObject({
      code: 'TL_MALFORMED',
      context: { element: 'TSLSequenceNumber' },
    });

    const base64 = Buffer.from(pki.intermediate.certificate.der).toString('base64');
    const badCert = signTrustedList(
      buildTrustedListXml(spec).replace(base64, base64.slice(0, 40)),
      listSigner,
    );
    await expect(load(badCert)).rejects.toMatchObject({
      code: 'TL_MALFORMED',
      context: { element: 'X509Certificate' },
    });
  });

  it('refuses to load without configured list signers', async () => {
    await expect(loadTrustedList(signed(), { listSigners: [] })).rejects.toMatchObject({
      code: 'TL_OPTIONS_INVALID',
    });
  });
});
