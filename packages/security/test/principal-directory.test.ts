import { once } from 'node:events';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevPki, PrincipalDirectory, type DevPki, type Principal } from '../src/index.js';
import { parseCertificate } from '../src/pki/certificate.js';

const agency: Principal = { kind: 'organisation', id: 'org:agency', name: 'Agency' };
const clerk: Principal = {
  kind: 'person',
  id: 'user:clerk-1',
  name: 'Testna Oseba',
  organisationId: 'org:agency',
};
const batch: Principal = {
  kind: 'application',
  id: 'app:agency-batch',
  name: 'Agency batch',
  organisationId: 'org:agency',
};

describe('PrincipalDirectory', () => {
  let pki: DevPki;
  let other: DevPki;

  beforeAll(async () => {
    pki = await createDevPki({
      organisations: [
        { name: 'Agency', id: 'agency' },
        { name: 'Stranger', id: 'stranger' },
      ],
      extras: [
        // Same O and CN as the registered organisation, but no organizationIdentifier.
        { name: 'lookalike', subject: { organisationName: 'Agency', commonName: 'Agency client' } },
        // A natural person's certificate that names the employer's identifier.
        {
          name: 'employee',
          organisation: 'agency',
          subject: { givenName: 'Testna', surname: 'Oseba', commonName: 'Testna Oseba' },
        },
      ],
    });
    other = await createDevPki({ organisations: [{ name: 'Agency', id: 'agency' }] });
  });

  function directory(options?: ConstructorParameters<typeof PrincipalDirectory>[0]) {
    const d = new PrincipalDirectory(options);
    d.registerOrganisationIdentifier(pki.organisation('agency').organizationIdentifier, agency);
    return d;
  }

  it('maps every certificate of an organisation by its organizationIdentifier', () => {
    const d = directory();
    for (const cert of [
      pki.organisation('agency').client.certificate,
      pki.organisation('agency').server.certificate,
    ]) {
      expect(d.match(cert)).toEqual({ principal: agency, matchedBy: 'organisation-identifier' });
      expect(d.resolve(cert)).toEqual(agency);
    }
    expect(d.lookup(pki.seal.certificate)).toEqual(agency);
  });

  it('refuses an unregistered organisation with QC_PRINCIPAL_UNKNOWN', () => {
    const d = directory();
    const stranger = pki.organisation('stranger').client.certificate;
    expect(d.lookup(stranger)).toBeUndefined();
    expect(() => d.resolve(stranger)).toThrow(
      expect.objectContaining({ code: 'QC_PRINCIPAL_UNKNOWN' }),
    );
  });

  it('never maps by CN or O: a look-alike subject without the identifier is unknown', () => {
    const lookalike = pki.extras['lookalike']!.certificate;
    expect(lookalike.subject.get('2.5.4.10')).toBe('Agency');
    expect(() => directory().resolve(lookalike)).toThrow(
      expect.objectContaining({ code: 'QC_PRINCIPAL_UNKNOWN' }),
    );
  });

  it("does not map a person's certificate by the employer's identifier unless allowed", () => {
    const employee = pki.extras['employee']!.certificate;
    expect(employee.subject.get('2.5.4.97')).toBe(
      pki.organisation('agency').organizationIdentifier,
    );
    expect(directory().lookup(employee)).toBeUndefined();
    expect(directory({ organisationIdentifierForPersons: true }).lookup(employee)).toEqual(agency);
  });

  it('maps a person certificate registered in advance by issuer and serial number', () => {
    const d = directory();
    const person = pki.person.certificate;
    expect(d.lookup(person)).toBeUndefined();
    // Registered with the issuing CA certificate and the serial as an operator would type it.
    const typed = `00:${person.serialNumber.toUpperCase().match(/../g)!.join(':')}`;
    d.registerIssuerSerial(pki.intermediate.certificate, typed, clerk);
    expect(d.match(person)).toEqual({ principal: clerk, matchedBy: 'issuer-serial' });
  });

  it('prefers the certificate registration over the organisation identifier', () => {
    const d = directory();
    const client = pki.organisation('agency').client.certificate;
    d.registerCertificate(client, batch);
    expect(d.match(client)).toEqual({ principal: batch, matchedBy: 'issuer-serial' });
    expect(d.lookup(pki.organisation('agency').server.certificate)).toEqual(agency);
  });

  it('does not match the same serial number from another issuer', () => {
    const d = new PrincipalDirectory();
    const mine = pki.organisation('agency').client.certificate;
    d.registerIssuerSerial(other.intermediate.certificate.subject, mine.serialNumber, batch);
    expect(d.lookup(mine)).toBeUndefined();
    d.registerIssuerSerial(mine.issuer, mine.serialNumber, batch);
    expect(d.lookup(mine)).toEqual(batch);
  });

  it('refuses conflicting and malformed registrations, and accepts repeats', () => {
    const d = directory();
    const id = pki.organisation('agency').organizationIdentifier;
    expect(() => d.registerOrganisationIdentifier(id, agency)).not.toThrow();
    expect(() => d.registerOrganisationIdentifier(id, { ...agency, id: 'org:other' })).toThrow(
      expect.objectContaining({ code: 'QC_PRINCIPAL_CONFLICT' }),
    );
    const bad: [() => void, string][] = [
      [() => d.registerOrganisationIdentifier(' VATSI-1', agency), 'padded identifier'],
      [() => d.registerOrganisationIdentifier('', agency), 'empty identifier'],
      [() => d.registerOrganisationIdentifier('X', { ...agency, id: '' }), 'empty id'],
      [() => d.registerOrganisationIdentifier('X', { ...agency, kind: 'robot' as never }), 'kind'],
      [() => d.registerOrganisationIdentifier('X', { ...agency, name: ' ' }), 'blank name'],
      [
        () => d.registerCertificate({ ...pki.person.certificate, serialNumber: 'xyz' }, clerk),
        'serial',
      ],
    ];
    for (const [register, what] of bad) {
      expect(register, what).toThrow(expect.objectContaining({ code: 'QC_PRINCIPAL_INVALID' }));
    }
    expect(d.size).toBe(1);
  });

  it('removes every registration of a principal', () => {
    const d = directory();
    d.registerCertificate(pki.organisation('agency').client.certificate, agency);
    expect(d.size).toBe(2);
    expect(d.remove('org:agency')).toBe(2);
    expect(d.lookup(pki.organisation('agency').client.certificate)).toBeUndefined();
  });
});

describe('PrincipalDirectory behind a real mutual TLS server', () => {
  let pki: DevPki;
  let server: Server;

  beforeAll(async () => {
    pki = await createDevPki({
      organisations: [
        { name: 'Server', id: 'server' },
        { name: 'Agency', id: 'agency' },
        { name: 'Stranger', id: 'stranger' },
      ],
    });
    const d = new PrincipalDirectory();
    d.registerOrganisationIdentifier(pki.organisation('agency').organizationIdentifier, agency);
    const srv = pki.organisation('server').server;
    server = createServer(
      { key: srv.keyPem, cert: srv.chainPem, ca: pki.trustAnchorPem, requestCert: true },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const principal = d.lookup(parseCertificate(new Uint8Array(peer.raw)));
        res.statusCode = principal ? 200 : 403;
        res.end(principal ? principal.id : 'QC_PRINCIPAL_UNKNOWN');
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  async function call(org: string): Promise<[number, string]> {
    const client = pki.organisation(org).client;
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          key: client.keyPem,
          cert: client.chainPem,
          ca: pki.trustAnchorPem,
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve([res.statusCode ?? 0, body]));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('admits the registered organisation and refuses an unregistered one', async () => {
    expect(await call('agency')).toEqual([200, 'org:agency']);
    expect(await call('stranger')).toEqual([403, 'QC_PRINCIPAL_UNKNOWN']);
  });
});
