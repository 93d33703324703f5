// The naming scheme of diagnostics_channel events published by the interop blocks.

import diagnosticsChannel from 'node:diagnostics_channel';
import { CoreError } from './errors/core-error.js';

/** The blocks that publish events. */
export type Block = 'core' | 'security' | 'tray' | 'io' | 'async' | 'esocial';

const NAME = /^interop:(core|security|tray|io|async|esocial)(?::[a-z][a-z0-9-]*){2}$/;

/**
 * Builds a channel name `interop:<block>:<object>:<event>`, e.g. `interop:tray:enquiry:end`.
 * Objects and events are lower-case words joined by hyphens.
 *
 * @throws CoreError `CORE_CHANNEL_NAME_INVALID`.
 */
export function channelName(block: Block, object: string, event: string): string {
  const name = `interop:${block}:${object}:${event}`;
  if (!NAME.test(name)) {
    throw new CoreError(
      'CORE_CHANNEL_NAME_INVALID',
      'Channel names are interop:<block>:<object>:<event>.',
      {
        context: { name: name.slice(0, 80) },
      },
    );
  }
  return name;
}

/**
 * The named channel; publish on it only when it has subscribers (`channel.hasSubscribers`).
 *
 * @example
 * ```ts
 * const end = diagnosticsChannelFor('tray', 'enquiry', 'end');
 * if (end.hasSubscribers) end.publish({ sourceId, status, ms });
 * ```
 */
export function diagnosticsChannelFor(
  block: Block,
  object: string,
  event: string,
): diagnosticsChannel.Channel {
  return diagnosticsChannel.channel(channelName(block, object, event));
}

/** Channels published by core itself. */
export const coreChannels = {
  /** `{ namespace, version, name, ms }` after a migration is applied. */
  migrationApplied: channelName('core', 'migration', 'applied'),
  /** `{ backend }` when a store is opened. */
  storeOpened: channelName('core', 'store', 'opened'),
} as const;
