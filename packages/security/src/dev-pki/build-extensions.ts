// Builds the X.509 v3 extensions of development certificates (RFC 5280 section 4.2).

import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';

/** RFC 5280 4.2.1.3 key usage bits, by their names (bit 1 is also called contentCommitment). */
export const DEV_KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

/** A key usage name of RFC 5280 4.2.1.3. */
export type DevKeyUsage = keyof typeof DEV_KEY_USAGE_BITS;

/** RFC 5280 4.2.1.12 key purposes, by name; other purposes are given as dotted OIDs. */
export const DEV_EXTENDED_KEY_USAGES = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
} as const;

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

/** Wraps an encoded extension value (RFC 5280 4.1: extnValue is the DER of the value). */
export function extension(
  extnID: string,
  critical: boolean,
  value: { toSchema(): asn1js.BaseBlock } | asn1js.BaseBlock | Uint8Array,
): pkijs.Extension {
  if (value instanceof Uint8Array) {
    const extnValue = value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
    return new pkijs.Extension({ extnID, critical, extnValue: extnValue as ArrayBuffer });
  }
  const schema = value instanceof asn1js.BaseBlock ? value : value.toSchema();
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false) });
}

/** RFC 5280 4.2.1.9: basic constraints, always critical here. */
export function basicConstraints(ca: boolean, pathLength?: number): pkijs.Extension {
  const value = new pkijs.BasicConstraints(
    ca && pathLength !== undefined ? { cA: true, pathLenConstraint: pathLength } : { cA: ca },
  );
  return extension('2.5.29.19', true, value);
}

/** RFC 5280 4.2.1.3: key usage as a DER named bit string (trailing zero bits removed), critical. */
export function keyUsage(usages: readonly DevKeyUsage[]): pkijs.Extension {
  const bits = usages.map((u) => DEV_KEY_USAGE_BITS[u]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(highest >= 8 ? 2 : 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const unusedBits = bytes.length * 8 - (highest + 1);
  return extension('2.5.29.15', true, new asn1js.BitString({ valueHex: bytes, unusedBits }));
}

/** RFC 5280 4.2.1.12: extended key usage from names or OIDs, not critical. */
export function extendedKeyUsage(purposes: readonly string[]): pkijs.Extension {
  const keyPurposes = purposes.map((p) => {
    const oid = (DEV_EXTENDED_KEY_USAGES as Record<string, string>)[p] ?? p;
    if (!OID.test(oid)) {
      throw new SecurityError(
        'DEVPKI_OPTIONS_INVALID',
        'An extended key usage is not a name or OID.',
        {
          context: { purpose: p },
        },
      );
    }
    return oid;
  });
  return extension('2.5.29.37', false, new pkijs.ExtKeyUsage({ keyPurposes }));
}

/** RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spki: pkijs.PublicKeyInfo): Uint8Array {
  const bits = spki.subjectPublicKey.valueBlock.valueHexView;
  return new Uint8Array(createHash('sha1').update(bits).digest());
}

/** RFC 5280 4.2.1.2: subject key identifier. */
export function subjectKeyIdentifier(id: Uint8Array): pkijs.Extension {
  return extension('2.5.29.14', false, new asn1js.OctetString({ valueHex: id }));
}

/** RFC 5280 4.2.1.1: authority key identifier (keyIdentifier form). */
export function authorityKeyIdentifier(id: Uint8Array): pkijs.Extension {
  const value = new pkijs.AuthorityKeyIdentifier({
    keyIdentifier: new asn1js.OctetString({ valueHex: id }),
  });
  return extension('2.5.29.35', false, value);
}

/** RFC 5280 4.2.1.6: subject alternative names from DNS names and IP addresses. */
export function subjectAltName(
  dnsNames: readonly string[],
  ips: readonly string[],
): pkijs.Extension {
  const altNames = [
    ...dnsNames.map((value) => new pkijs.GeneralName({ type: 2, value })),
    ...ips.map(
      (ip) =>
        new pkijs.GeneralName({
          type: 7,
          value: new asn1js.OctetString({ valueHex: ipBytes(ip) }),
        }),
    ),
  ];
  return extension('2.5.29.17', false, new pkijs.AltName({ altNames }));
}

/** RFC 5280 4.2.1.4: certificate policies, each without qualifiers. */
export function certificatePolicies(oids: readonly string[]): pkijs.Extension {
  for (const oid of oids) {
    if (!OID.test(oid)) {
      throw new SecurityError('DEVPKI_OPTIONS_INVALID', 'A certificate policy is not an OID.', {
        context: { policy: oid },
      });
    }
  }
  const value = new pkijs.CertificatePolicies({
    certificatePolicies: oids.map(
      (policyIdentifier) => new pkijs.PolicyInformation({ policyIdentifier }),
    ),
  });
  return extension('2.5.29.32', false, value);
}

/** RFC 5280 4.2.1.13: one distribution point with a full-name URI. */
export function crlDistributionPoint(url: string): pkijs.Extension {
  const value = new pkijs.CRLDistributionPoints({
    distributionPoints: [
      new pkijs.DistributionPoint({
        distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })],
      }),
    ],
  });
  return extension('2.5.29.31', false, value);
}

/** RFC 5280 4.2.2.1: authority information access with an OCSP responder URI. */
export function ocspAccess(url: string): pkijs.Extension {
  const value = new pkijs.InfoAccess({
    accessDescriptions: [
      new pkijs.AccessDescription({
        accessMethod: '1.3.6.1.5.5.7.48.1',
        accessLocation: new pkijs.GeneralName({ type: 6, value: url }),
      }),
    ],
  });
  return extension('1.3.6.1.5.5.7.1.1', false, value);
}

function ipBytes(ip: string): Uint8Array {
  const version = isIP(ip);
  if (version === 4) return new Uint8Array(ip.split('.').map(Number));
  if (version === 6) return ipv6Bytes(ip);
  throw new SecurityError('DEVPKI_OPTIONS_INVALID', 'A server IP address is not IPv4 or IPv6.', {
    context: { ip },
  });
}

function ipv6Bytes(address: string): Uint8Array {
  // RFC 4291 2.2 form 3: a trailing dotted IPv4 address stands for the last two groups.
  const ip = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [
      [a, b],
      [c, d],
    ]
      .map(([x, y]) => ((Number(x) << 8) | Number(y)).toString(16))
      .join(':'),
  );
  const [head = '', tail] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const fill =
    tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  const all = [...left, ...fill, ...right];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}
