// Parses the arguments of `interop-pki init` into development PKI options.

import { parseArgs } from 'node:util';
import { SecurityError } from '../errors.js';
import type { DevOrganisationOptions, DevPkiOptions } from '../dev-pki/dev-pki-options.js';

/** The parsed `init` command. */
export interface InitCommand {
  readonly dir: string;
  readonly force: boolean;
  readonly options: DevPkiOptions;
}

/** The usage text of the CLI. */
export const USAGE = `Usage: interop-pki init <dir> [options]

Writes a development PKI (root CA, intermediate CA, TLS server and client certificates per
organisation, a qualified-looking seal and personal certificate, CRLs) into <dir>.
For development and tests only.

Options:
  --org <spec>       an organisation, repeatable: name=<name>[,id=<id>][,tax=<8 digits>]
                     [,dns=<name>][,ip=<address>] (dns and ip repeatable; a bare value is the name)
  --rsa              RSA 2048 keys instead of ECDSA P-256
  --days <n>         validity of end-entity certificates in days (default 365)
  --revoke <name>    put a certificate on the CRL, e.g. <org id>-client or seal (repeatable)
  --crl-url <base>   add CRL distribution points <base>/intermediate.crl and <base>/root.crl
  --force            write into a folder that is not empty
  -h, --help         show this text
`;

const ORG_KEYS = ['name', 'id', 'tax', 'dns', 'ip'] as const;

/**
 * Parses `argv` (without node and the script).
 * @throws SecurityError `DEVPKI_OPTIONS_INVALID` with a message meant for the command line.
 */
export function parseInitArgs(argv: readonly string[]): InitCommand | 'help' {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (cause) {
    throw usageError(cause instanceof Error ? cause.message : 'The arguments cannot be read.');
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';

  const [command, dir, ...rest] = positionals;
  if (command !== 'init')
    usage(command === undefined ? 'No command given.' : `Unknown command "${command}".`);
  if (dir === undefined || dir === '') usage('init needs a target folder.');
  if (rest.length > 0) usage(`Unexpected argument "${rest[0]}".`);

  const options: DevPkiOptions = {};
  if (values.org && values.org.length > 0) options.organisations = values.org.map(parseOrg);
  if (values.rsa) options.keyAlgorithm = 'rsa-2048';
  if (values.days !== undefined) {
    if (!/^[1-9]\d{0,4}$/.test(values.days)) usage('--days needs a whole number from 1 to 36500.');
    options.days = Number(values.days);
  }
  if (values.revoke) options.revoke = values.revoke;
  if (values['crl-url'] !== undefined) options.crlBaseUrl = values['crl-url'];

  return { dir, force: values.force === true, options };
}

function parseCli(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      org: { type: 'string', multiple: true },
      rsa: { type: 'boolean' },
      days: { type: 'string' },
      revoke: { type: 'string', multiple: true },
      'crl-url': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseOrg(spec: string): DevOrganisationOptions {
  // Split before each known key, so that a name may hold commas: "name=Centre, Maribor,id=cm".
  const startsWithKey = ORG_KEYS.some((k) => spec.startsWith(`${k}=`));
  if (!startsWithKey) return { name: spec };

  const org: DevOrganisationOptions = { name: '' };
  for (const part of spec.split(new RegExp(`,(?=(?:${ORG_KEYS.join('|')})=)`))) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'name') org.name = value;
    else if (key === 'id') org.id = value;
    else if (key === 'tax') org.taxNumber = value;
    else if (key === 'dns') org.dnsNames = [...(org.dnsNames ?? []), value];
    else if (key === 'ip') org.ipAddresses = [...(org.ipAddresses ?? []), value];
  }
  if (org.name === '') usage(`--org "${spec}" has no name=.`);
  return org;
}

function usage(message: string): never {
  throw usageError(message);
}

function usageError(message: string): SecurityError {
  return new SecurityError('DEVPKI_OPTIONS_INVALID', message, { context: { source: 'cli' } });
}
