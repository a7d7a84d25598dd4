/** What every handler of the embedded server shares; built once by `createEmbeddedServer`. */
import type { Logger } from '@pusher-auth-server/pusher-core';
import type { SafeHooks } from './hooks.js';
import type { Connection } from './socket/connection.js';
import type { ConnectionTable } from './state/connections.js';
import type { ChannelRegistry } from './state/registry.js';

export interface EmbeddedApp {
  readonly appId: string;
  readonly key: string;
  readonly secret: string;
}

export interface EmbeddedContext {
  readonly app: EmbeddedApp;
  readonly logger: Logger;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  readonly clientEvents: boolean;
  readonly registry: ChannelRegistry<Connection>;
  readonly connections: ConnectionTable<Connection>;
  readonly hooks: SafeHooks;
}
