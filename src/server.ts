/** startServer(config): one HTTP server for the app and, in embedded mode, the Pusher service. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { createEmbeddedServer, createWebhookSender, type EmbeddedServer, type WebhookSenderOptions } from './embedded/index.js';
import { setApiHeaders } from './http/api-headers.js';
import { createClientIp } from './http/client-ip.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/metrics.js';
import { createPusherPublisher, publisherTargetFor } from './trigger/pusher-publisher.js';
import type { WebhookHandlers } from './webhook-receiver/events.js';

/**
 * How long a client may take (DESIGN 11), in ms. Node's own checks run every `checkIntervalMs`, so
 * a slow client is cut between `headersMs` and `headersMs + checkIntervalMs`.
 */
export interface ServerTimeouts {
  /** The request line and headers must arrive within this. */
  readonly headersMs: number;
  /** The whole request, body included. Node stops counting once the request is received: a long
   * answer (server-sent events) and an upgraded WebSocket are not cut by it. */
  readonly requestMs: number;
  /** An idle kept-alive connection is closed after this. */
  readonly keepAliveMs: number;
  readonly checkIntervalMs: number;
}

/**
 * keepAliveMs is above the idle timeouts of common load balancers (AWS ALB and GCP default to 60 s):
 * the proxy, not us, closes an idle connection, so it never sends a request on a socket we are
 * closing (a 502 at the proxy). Node's old advice, headersTimeout above keepAliveTimeout, dates from
 * Node < 18, where the headers timer ran from the previous request; since Node 18 it starts at a
 * request's first byte, so a 10 s headers limit does not cut idle kept-alive connections (tested).
 */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 65_000, checkIntervalMs: 1000 };

export interface ServerOptions {
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** Tests: shorter limits, so a test need not wait 10 s. */
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Tests: how long a publish waits for the Pusher service (default PUBLISH_TIMEOUT_MS). */
  readonly publishTimeoutMs?: number;
  /** Tests: the webhook receiver's handlers, and the embedded webhook sender's time and retries. */
  readonly webhooks?: Pick<WebhookSenderOptions, 'scheduler' | 'debounceMs' | 'delivery'> & { handlers?: WebhookHandlers };
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
  const metrics = createMetrics();
  const { handlers: webhookHandlers, ...senderOptions } = options.webhooks ?? {};
  const webhookUrl = config.mode === 'embedded' ? config.embedded.webhookUrl : undefined;
  const webhooks = webhookUrl
    ? createWebhookSender({
        url: webhookUrl,
        app: config.app,
        logger,
        ...senderOptions,
        observe: metrics.recordWebhookOutcome,
      })
    : undefined;
  const embedded =
    config.mode === 'embedded'
      ? createEmbeddedServer({
          app: config.app,
          logger: logger.child({ component: 'embedded' }),
          clientEvents: config.embedded.clientEvents,
          maxConnections: config.embedded.maxConnections,
          maxConnectionsPerIp: config.embedded.maxConnectionsPerIp,
          clientIp: createClientIp(config.trustProxy), // per-IP caps see the client behind TRUST_PROXY hops
          clock,
          hooks: webhooks ? [metrics.embeddedHooks, webhooks.hooks] : [metrics.embeddedHooks],
        })
      : undefined;
  if (embedded) metrics.watchEmbedded(() => embedded.stats());
  // Read on the first publish, once listening: embedded mode publishes to our own port over loopback.
  const publisher = createPusherPublisher(() => publisherTargetFor(config, (server.address() as AddressInfo).port, options.publishTimeoutMs));
  const app = createApp({
    config,
    logger,
    clock,
    metrics,
    publisher,
    ...(webhookHandlers ? { webhookHandlers } : {}),
    ...(embedded ? { embeddedSnapshot: () => embedded.snapshot() } : {}),
  });
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = createServer({ connectionsCheckingInterval: timeouts.checkIntervalMs }, (req, res) => {
    if (embedded && req.url?.startsWith('/apps/')) {
      setApiHeaders(res); // the embedded HTTP API answers JSON without Express
      if (embedded.handleHttp(req, res)) return;
    }
    app(req, res);
  });
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
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
    close: () => (closing ??= shutdown(server, embedded, { webhooks, publisher })),
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

async function shutdown(
  server: Server,
  embedded: EmbeddedServer | undefined,
  outbound: { webhooks: { close(): void } | undefined; publisher: { close(): void } },
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await embedded?.close();
  outbound.webhooks?.close(); // after the sockets closed: their debounced leaves are dropped too
  const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_AFTER_MS);
  await closed;
  clearTimeout(force);
  outbound.publisher.close(); // after in-flight /trigger requests finished
}
