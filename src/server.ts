/** startServer(config): one HTTP server for the app and, in embedded mode, the Pusher service. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createAppHandlers } from './app.js';
import type { Config } from './config.js';
import type { Grant } from '@pusher-auth-server/channel-auth';
import { createPusherServer, type PusherServer, type WebhookSenderOptions } from '@pusher-auth-server/embedded';
import { listen } from '@pusher-auth-server/pusher-core';
import { createClientIp } from './http/client-ip.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createPusherPublisher, publisherTargetFor } from './trigger/pusher-publisher.js';
import type { WebhookHandlers } from './webhook-receiver/events.js';

/**
 * How long a client may take (docs/design.md#timeouts), in ms. Node's own checks run every `checkIntervalMs`, so
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
const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 65_000, checkIntervalMs: 1000 };

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
  readonly embedded: PusherServer | undefined;
  /** Stops accepting, closes WebSockets with 4200, lets in-flight requests finish. */
  close(): Promise<void>;
}

const FORCE_CLOSE_AFTER_MS = 8000;

/** The server could not listen where configured: one line for the operator, with what to do. */
export class ListenError extends Error {
  constructor(
    readonly code: string,
    readonly host: string,
    readonly port: number,
  ) {
    super(ListenError.explain(code, host, port));
    this.name = 'ListenError';
  }

  private static explain(code: string, host: string, port: number): string {
    const where = `${host}:${port}`;
    if (code === 'EADDRINUSE') return `Port ${port} is already in use on ${host}: stop what uses it, or choose another port, e.g. PORT=${port + 1} npm start`;
    if (code === 'EACCES') return `Not allowed to listen on ${where}: choose a port above 1023, e.g. PORT=3000 npm start`;
    if (code === 'EADDRNOTAVAIL') return `Cannot listen on ${where}: ${host} is not an address of this machine; set HOST, e.g. HOST=127.0.0.1`;
    return `Cannot listen on ${where} (${code}).`;
  }
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? Date.now;
  const metrics = createMetrics();
  const { handlers: webhookHandlers, ...senderOptions } = options.webhooks ?? {};
  const embedded = config.mode === 'embedded' ? createEmbedded(config, logger, clock, metrics, senderOptions) : undefined;
  if (embedded) metrics.watchEmbedded(() => embedded.stats());
  // Read on the first publish, once listening: embedded mode publishes to our own port over loopback.
  const publisher = createPusherPublisher(() => publisherTargetFor(config, (server.address() as AddressInfo).port, options.publishTimeoutMs));
  const { app, authFastPath } = createAppHandlers({
    config,
    logger,
    clock,
    metrics,
    publisher,
    ...(webhookHandlers ? { webhookHandlers } : {}),
    ...(embedded ? { embeddedSnapshot: () => embedded.snapshot(), onGranted: closeWhenExpired(embedded) } : {}),
  });
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = createServer({ connectionsCheckingInterval: timeouts.checkIntervalMs }, (req, res) => {
    if (!authFastPath(req, res)) app(req, res);
  });
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  if (embedded) embedded.attach(server); // /apps/... and /app/... are its own, the rest is the app's
  else server.on('upgrade', (_req, socket) => socket.destroy());
  try {
    await listen(server, config.port, config.host);
  } catch (err) {
    await embedded?.close(); // its heartbeat runs from creation: nothing may keep the process alive
    publisher.close();
    throw listenError(err, config.host, config.port);
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    config,
    embedded,
    close: () => (closing ??= shutdown(server, embedded, publisher)),
  };
}

function listenError(err: unknown, host: string, port: number): unknown {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? new ListenError(code, host, port) : err;
}

async function shutdown(server: Server, embedded: PusherServer | undefined, publisher: { close(): void }): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await embedded?.close(); // sockets closed with 4200, then its webhooks stopped
  const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_AFTER_MS);
  await closed;
  clearTimeout(force);
  publisher.close(); // after in-flight /trigger requests finished
}

/** A connection granted channels or a sign-in with credentials that expire is closed (4200) when they do. */
function closeWhenExpired(embedded: PusherServer): (grant: Grant) => void {
  return ({ socketId, expiresAt }) => {
    if (expiresAt !== undefined) embedded.expireConnection(socketId, expiresAt);
  };
}

type SenderOptions = Pick<WebhookSenderOptions, 'scheduler' | 'debounceMs' | 'delivery'>;

/** Embedded mode's Pusher service, observed by the metrics and, with EMBEDDED_WEBHOOK_URL, sending webhooks. */
function createEmbedded(config: Config & { mode: 'embedded' }, logger: Logger, clock: () => number, metrics: Metrics, sender: SenderOptions): PusherServer {
  const { webhookUrl, clientEvents, maxConnections, maxConnectionsPerIp, maxBufferedBytes } = config.embedded;
  return createPusherServer({
    ...config.app,
    logger: logger.child({ component: 'embedded' }),
    clientEvents,
    maxConnections,
    maxConnectionsPerIp,
    maxBufferedBytes,
    clientIp: createClientIp(config.trustProxy), // per-IP caps see the client behind TRUST_PROXY hops
    clock,
    hooks: metrics.embeddedHooks,
    ...(webhookUrl ? { webhooks: { url: webhookUrl, ...sender, observe: metrics.recordWebhookOutcome } } : {}),
  });
}
