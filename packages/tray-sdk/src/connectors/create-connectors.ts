// The registry of connectors by transport kind: the built-in ones and the agency's own.

import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  parseCertificates,
  type Certificate,
  type JwsSigner,
  type JwsVerifier,
  type MtlsIdentityOptions,
  type XmlSignerTrust,
} from '@interop-blocks/security';
import type { Agent } from 'undici';
import type { Source } from '../catalogue/define-catalogue.js';
import { TrayError } from '../errors.js';
import { createAsyncConnector } from './async-connector.js';
import type { AsyncCallbackReceiver } from './async-callback-receiver.js';
import type { Connector } from './connector.js';
import { createIoModuleConnector } from './io-module-connector.js';
import { createRestConnector } from './rest-connector.js';
import { createSoapConnector } from './soap-connector.js';
import { SourcePools } from './source-pools.js';
import { createXRoadConnector } from './xroad-connector.js';

/** The transport kinds served by the built-in connectors. */
export const BUILT_IN_KINDS = ['io-module', 'rest', 'soap', 'async', 'xroad'] as const;

const CUSTOM_KIND = /^[a-z][a-z0-9-]{0,63}$/;

/** Options of {@link createConnectors}. */
export interface ConnectorsOptions {
  /** The enquirer's seal: signs JSON queries (JWS). */
  signer: JwsSigner;
  /** Verifies answer signatures (JWS) with the enquirer's trust in the sources. */
  verifier: JwsVerifier<unknown>;
  /** Trust in XML-DSig answer signatures: usually the same `CertificateValidator`. */
  validator: XmlSignerTrust;
  /** The enquirer's client identity for mutual TLS (key, chain, trust anchors of servers). */
  tls?: MtlsIdentityOptions;
  /** undici connect options or connector, overriding `tls` (e.g. security's `mtlsConnector`). */
  connect?: Agent.Options['connect'];
  /** Key and certificates for WS-Security; default the `tls` key and chain. */
  xmlSigning?: { privateKey: KeyObject; certificates: readonly Certificate[] };
  /** Asynchronous sources answering by callback: the URL and the mounted receiver. */
  callbacks?: { url: string; receiver: AsyncCallbackReceiver };
  /** Connectors of the agency, by their `kind` (the `connector` name of `custom` transports). */
  custom?: readonly Connector[];
}

/**
 * Creates every connector, each on its own pools (one undici Agent per source, connections =
 * the source's concurrency), and returns them by kind: the map the engine takes.
 *
 * @throws TrayError `TRAY_CONNECTOR_INVALID` for a custom connector whose kind is malformed,
 *   built in, or given twice.
 * @example
 * ```ts
 * const connectors = createConnectors({ signer, verifier, validator, tls: { key, certificateChain,
 * trustAnchors } });
 * const connector = connectorFor(connectors, source);
 * ```
 */
export function createConnectors(options: ConnectorsOptions): Map<string, Connector> {
  const pools = () => new SourcePools({ tls: options.tls, connect: options.connect });
  const map = new Map<string, Connector>();
  map.set('io-module', createIoModuleConnector({ pools: pools(), ...options }));
  map.set('rest', createRestConnector({ pools: pools() }));
  map.set('xroad', createXRoadConnector({ pools: pools() }));
  map.set(
    'async',
    createAsyncConnector({
      pools: pools(),
      signer: options.signer,
      verifier: options.verifier,
      callbackUrl: options.callbacks?.url,
      receiver: options.callbacks?.receiver,
    }),
  );
  const signing = options.xmlSigning ?? (options.tls ? signingOf(options.tls) : undefined);
  if (signing) {
    map.set('soap', createSoapConnector({ pools: pools(), signing, trust: options.validator }));
  }

  for (const connector of options.custom ?? []) {
    if (!CUSTOM_KIND.test(connector.kind) || map.has(connector.kind)) {
      throw new TrayError(
        'TRAY_CONNECTOR_INVALID',
        'A custom connector kind is invalid or taken.',
        {
          context: { kind: String(connector.kind).slice(0, 64) },
        },
      );
    }
    map.set(connector.kind, connector);
  }
  return map;
}

/**
 * The connector serving a source: by `connector` name for `custom` transports, else by kind.
 * @throws TrayError `TRAY_CONNECTOR_MISSING` when none is registered.
 */
export function connectorFor(
  connectors: ReadonlyMap<string, Connector>,
  source: Source,
): Connector {
  const transport = source.declaration.transport;
  const kind = transport.kind === 'custom' ? transport.connector : transport.kind;
  const connector = connectors.get(kind);
  if (!connector) {
    throw new TrayError('TRAY_CONNECTOR_MISSING', 'No connector serves the source transport.', {
      context: { source: source.id, kind },
    });
  }
  return connector;
}

/** Closes every connector of the map. */
export async function closeConnectors(connectors: ReadonlyMap<string, Connector>): Promise<void> {
  await Promise.all([...connectors.values()].map((c) => c.close?.()));
}

function signingOf(tls: MtlsIdentityOptions): {
  privateKey: KeyObject;
  certificates: readonly Certificate[];
} {
  const privateKey =
    typeof tls.key === 'object' && 'type' in tls.key && !Buffer.isBuffer(tls.key)
      ? tls.key
      : createPrivateKey(tls.key);
  const certificates =
    typeof tls.certificateChain === 'string'
      ? parseCertificates(tls.certificateChain)
      : tls.certificateChain;
  return { privateKey, certificates };
}
