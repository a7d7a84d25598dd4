/** startServer(config): one HTTP server for the app and, in embedded mode, the Pusher service. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { createEmbeddedServer, type EmbeddedServer } from './embedded/index.js';
import { createLogger } from './logger.js';

export interface ServerOptions {
  readonly logger?: Logger;
  readonly clock?: () => number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly config: Config;
  readonly embedded: EmbeddedServer | undefined;
  /** Stops accepting, closes WebSockets with 4200, lets in-flight requests finish. */
  close(): Promise<void>;
}

const FORCE_CLOSE_AFTER_MS = 8000;

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? Date.now;
  const embedded =
    config.mode === 'embedded'
      ? createEmbeddedServer({
          app: config.app,
          logger: logger.child({ component: 'embedded' }),
          clientEvents: config.embedded.clientEvents,
          clock,
        })
      : undefined;
  const app = createApp({ config, logger, clock });
  const server = createServer((req, res) => {
    if (embedded?.handleHttp(req, res)) return;
    app(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (embedded) embedded.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    config,
    embedded,
    close: () => (closing ??= shutdown(server, embedded)),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function shutdown(server: Server, embedded: EmbeddedServer | undefined): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await embedded?.close();
  const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_AFTER_MS);
  await closed;
  clearTimeout(force);
}
