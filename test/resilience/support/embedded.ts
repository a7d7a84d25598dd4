/** The embedded Pusher server on a plain HTTP server, with its test-only options (clock, timeouts). */
import { createServer } from 'node:http';
import { createEmbeddedServer, type EmbeddedOptions, type EmbeddedServer } from '../../../src/embedded/index.js';
import { silentLogger } from '../../helpers/server.js';
import { Restartable, type ServiceInstance } from './restartable.js';

export const TEST_APP = { appId: 'resilience', key: 'resilience-key', secret: 'resilience-secret' } as const;

export type EmbeddedExtras = Partial<Omit<EmbeddedOptions, 'app' | 'logger'>>;

export interface EmbeddedService {
  readonly service: Restartable;
  /** The embedded server of the current start. */
  readonly embedded: () => EmbeddedServer;
}

/** A restartable embedded server: every start is a fresh instance on the same port. */
export function embeddedService(extras: EmbeddedExtras = {}): EmbeddedService {
  let current: EmbeddedServer | undefined;
  const service = new Restartable((): ServiceInstance => {
    const embedded = createEmbeddedServer({ app: { ...TEST_APP }, logger: silentLogger, clientEvents: true, ...extras });
    current = embedded;
    const server = createServer((req, res) => {
      if (!embedded.handleHttp(req, res)) {
        res.writeHead(404, { 'content-length': 0 });
        res.end();
      }
    });
    server.on('upgrade', (req, socket, head) => embedded.handleUpgrade(req, socket, head));
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
