/** What every handler of the embedded server shares; built once by `createEmbeddedServer`. */
import type { Logger } from 'pino';
import type { Connection } from './connection.js';
import type { SafeHooks } from './hooks.js';
import type { ChannelRegistry } from './registry.js';
import type { UserIndex } from './users.js';

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
  readonly connections: Map<string, Connection>;
  readonly users: UserIndex;
  readonly hooks: SafeHooks;
}
