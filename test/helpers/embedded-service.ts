/** The embedded Pusher server on a plain HTTP server, with its test-only options (clock, timeouts). */
import { createServer } from 'node:http';
import { createPusherServer, type PusherServer, type PusherServerOptions } from '@pusher-auth-server/embedded';
import { silentLogger } from './server.js';
import { Restartable, type ServiceInstance } from './restartable.js';

export const TEST_APP = { appId: 'resilience', key: 'resilience-key', secret: 'resilience-secret' } as const;

export type EmbeddedExtras = Partial<Omit<PusherServerOptions, 'appId' | 'key' | 'secret' | 'logger'>>;

export interface EmbeddedService {
  readonly service: Restartable;
  /** The embedded server of the current start. */
  readonly embedded: () => PusherServer;
}

/** A restartable embedded server: every start is a fresh instance on the same port. */
export function embeddedService(extras: EmbeddedExtras = {}): EmbeddedService {
  let current: PusherServer | undefined;
  const service = new Restartable((): ServiceInstance => {
    const embedded = createPusherServer({ ...TEST_APP, logger: silentLogger, ...extras });
    current = embedded;
    const server = createServer();
    embedded.attach(server);
    return { server, beforeClose: () => embedded.close() };
  });
  return {
    service,
    embedded: () => {
      if (!current) throw new Error('the embedded service was never started');
      return current;
    },
  };
}
