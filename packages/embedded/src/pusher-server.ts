/**
 * The Pusher-compatible server (docs/embedded-server.md): WebSocket at `/app/:key` (protocol 7) and
 * the HTTP API at `/apps/:appId/...`, as request and upgrade handlers; `index.ts` adds listening.
 */
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Logger, silentLogger } from '@pusher-auth-server/pusher-core';
import { createHttpApi } from './api/server.js';
import type { EmbeddedContext } from './context.js';
import { safeHooks, type EmbeddedHooks } from './hooks.js';
import { PUSHER_ERRORS, type PusherProtocolError } from './protocol/codes.js';
import { encodeProtocolMessage, errorEvent } from './protocol/codec.js';
import { TextFrame } from './protocol/frame.js';
import { Connection, type ConnectionPolicy } from './socket/connection.js';
import { flushBytesFor, WriteTurns } from './socket/write-turns.js';
import { startHeartbeat } from './socket/heartbeat.js';
import { handshakeRefusal, switchingProtocols } from './socket/handshake.js';
import { closeConnection, handleMessage } from './socket/session.js';
import { connectionRefusal, parseUpgradeTarget, rejectHttpUpgrade, type UpgradeTarget } from './socket/upgrade.js';
import { type LinkEvents, type LinkWire, WebSocketLink } from './socket/websocket-link.js';
import { ConnectionTable } from './state/connections.js';
import { dropConnection } from './state/membership.js';
import { ChannelRegistry } from './state/registry.js';
import { takeSnapshot, type EmbeddedSnapshot } from './state/snapshot.js';
import { createWebhookSender, type WebhookSenderOptions } from './webhook-sender/index.js';

/** Frames larger than this close the connection with 1009 (a 10 KB event plus its envelope fits). */
const MAX_FRAME_BYTES = 32 * 1024;

export interface PusherServerOptions {
  readonly appId: string;
  readonly key: string;
  readonly secret: string;
  /** pino, or anything with its four levels and `child`; default: nothing is logged. */
  readonly logger?: Logger;
  /** Whether `client-*` events are relayed. Default true. */
  readonly clientEvents?: boolean;
  /** ms since epoch; default Date.now. Used for the auth_timestamp window, rate limits and liveness. */
  readonly clock?: () => number;
  /** Sent in connection_established; also how long a silent client waits for a server ping. Default 120. */
  readonly activityTimeoutSeconds?: number;
  /** After pinging an idle client, close with 4201 when no pong arrives in this time. Default 30000. */
  readonly pongTimeoutMs?: number;
  /** How often (real time) connections are checked for liveness. Default 1000. */
  readonly heartbeatIntervalMs?: number;
  /** More connections in total are closed with 4004. Default 10000; 0 = no cap. */
  readonly maxConnections?: number;
  /** More connections from one client address are closed with 4004. Default 100; 0 = no cap. */
  readonly maxConnectionsPerIp?: number;
  /**
   * A connection whose client leaves more than this many bytes unread is closed with 4100 (over
   * capacity; pusher-js retries after 1 s), so one slow reader cannot make the server hold every
   * frame. Default 1 MiB; 0 = no cap.
   */
  readonly maxBufferedBytes?: number;
  /** The client address the per-IP cap counts; default the socket's remote address. */
  readonly clientIp?: (req: IncomingMessage) => string;
  /** Socket id source; default crypto-random `<digits>.<digits>`. */
  readonly generateSocketId?: () => string;
  /** Observers (metrics, say); several may be given as an array. */
  readonly hooks?: EmbeddedHooks | readonly EmbeddedHooks[];
  /** Pusher-style webhooks (channel_occupied, member_added, ...), signed with the app's secret. */
  readonly webhooks?: Omit<WebhookSenderOptions, 'app' | 'logger'>;
}

export interface PusherServerHandlers {
  /** Handles /apps/:appId/... requests; returns false (touching nothing) when the path is not its own. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles an HTTP upgrade; only /app/:key (protocol 7) is accepted, anything else gets the socket destroyed with a proper HTTP error. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  stats(): { connections: number; channels: number; presenceMembers: number };
  /** Connections, channels with their subscribers and members, signed-in users: for the console. */
  snapshot(): EmbeddedSnapshot;
  /**
   * The connection's credentials expire at `expiresAt` (seconds since the epoch): once it passes,
   * the connection is closed with 4200 and pusher-js reconnects and authorizes every channel again.
   * The earliest expiry given for a connection wins; unknown socket ids are ignored. Wire it to
   * channel-auth's `onGranted`.
   */
  expireConnection(socketId: string, expiresAt: number): void;
  /** Close every socket with 4200 (clients reconnect elsewhere), stop timers and webhooks. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 1000;
/** How long a client has to answer our close frame (as `ws`'s default). */
const CLOSE_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

function randomSocketId(): string {
  return `${randomInt(1, 2 ** 47)}.${randomInt(1, 2 ** 47)}`;
}

/** Sends the error frame and the close code to a socket that never became a connection. */
function refuse(link: WebSocketLink<Connection>, error: PusherProtocolError): void {
  link.wire.write(TextFrame.of(encodeProtocolMessage(errorEvent(error.code, error.message))).wire);
  link.close(error.code ?? 1008, PUSHER_ERRORS[error.kind].meaning);
}

export function createPusherHandlers(options: PusherServerOptions): PusherServerHandlers {
  const app = { appId: options.appId, key: options.key, secret: options.secret };
  const logger = options.logger ?? silentLogger;
  const webhooks = options.webhooks && createWebhookSender({ ...options.webhooks, app, logger });
  const observers = [options.hooks ?? [], webhooks?.hooks ?? []].flat();
  const ctx: EmbeddedContext = {
    app,
    logger,
    clock: options.clock ?? Date.now,
    clientEvents: options.clientEvents ?? true,
    registry: new ChannelRegistry<Connection>(),
    connections: new ConnectionTable<Connection>({ total: options.maxConnections ?? 10_000, perIp: options.maxConnectionsPerIp ?? 100 }),
    hooks: safeHooks(observers, logger),
  };
  const activityTimeoutSeconds = options.activityTimeoutSeconds ?? 120;
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? '');
  const generateSocketId = options.generateSocketId ?? randomSocketId;
  const stopHeartbeat = startHeartbeat(ctx, {
    idleMs: activityTimeoutSeconds * 1000,
    pongTimeoutMs: options.pongTimeoutMs ?? 30_000,
    intervalMs: options.heartbeatIntervalMs ?? 1000,
  });
  let closing = false;

  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const policy: ConnectionPolicy = {
    countOut: (frames) => ctx.hooks.onMessageOut(frames),
    maxBufferedBytes,
    writeTurns: new WriteTurns(flushBytesFor(maxBufferedBytes)),
    onOverCapacity(connection, bufferedBytes) {
      ctx.logger.warn({ socketId: connection.socketId, bufferedBytes }, 'embedded server: closed a connection that reads too slowly (4100)');
      ctx.hooks.onSlowConsumerClosed(connection.socketId, bufferedBytes);
      // Forgotten once the publish that found it slow is over, not from inside its loop over the subscribers.
      queueMicrotask(() => dropConnection(ctx, connection));
    },
  };
  const onUpgradeSocketError = (err: Error) => ctx.logger.debug({ err }, 'embedded server: upgrade socket error');
  /** Links past their open state whose TCP socket has not closed yet: what shutting down waits for. */
  const closingLinks = new Set<WebSocketLink<Connection>>();
  let allLinksClosed: (() => void) | undefined;
  const linkEvents: LinkEvents<Connection> = {
    maxPayload: MAX_FRAME_BYTES,
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
    message: (connection, data, binary) => handleMessage(ctx, connection, data, binary),
    pong: (connection) => connection.touch(ctx.clock()),
    closing(link) {
      closingLinks.add(link);
      // The client closed or broke the protocol: nothing more is sent to it, so its channels and
      // presence are let go at once. A close of ours is forgotten by whoever closed it, when it
      // is safe to (a slow consumer only once the publish that found it is over).
      if (link.owner && !link.owner.isClosing) dropConnection(ctx, link.owner);
    },
    closed(link) {
      closingLinks.delete(link);
      if (closingLinks.size === 0) allLinksClosed?.();
    },
    error: (link, err) => ctx.logger.debug({ err, socketId: link.owner?.socketId }, 'embedded server: websocket error'),
  };

  function accept(link: WebSocketLink<Connection>, target: UpgradeTarget, ip: string): void {
    const refusal = connectionRefusal(target, ctx.app.key, ctx.connections.capReached(ip));
    if (refusal) return refuse(link, refusal);
    let socketId = generateSocketId();
    while (ctx.connections.has(socketId)) socketId = generateSocketId();
    const connection = new Connection(socketId, link, link.wire, ctx.clock(), policy, ip);
    link.owner = connection;
    ctx.connections.add(connection);
    ctx.hooks.onConnectionOpened(socketId);
    connection.deliver({
      event: 'pusher:connection_established',
      data: { socket_id: socketId, activity_timeout: activityTimeoutSeconds },
    });
  }

  return {
    handleRequest: createHttpApi(ctx),
    handleUpgrade(req, socket, head) {
      socket.on('error', onUpgradeSocketError);
      const target = parseUpgradeTarget(req.url);
      if (target.kind === 'not-found') return rejectHttpUpgrade(socket, 404, 'Not found: WebSocket connections go to /app/<key>');
      if (closing) return rejectHttpUpgrade(socket, 503, 'Server shutting down');
      const refusal = handshakeRefusal(req);
      if (refusal) return rejectHttpUpgrade(socket, refusal.status, refusal.message, refusal.headers);
      // The client already sent its FIN: nothing to answer.
      if (!socket.readable || !socket.writable) return void socket.destroy();
      socket.removeListener('error', onUpgradeSocketError);
      // The 101 and the first frame (connection_established, or a refusal) leave in one write.
      socket.cork();
      socket.write(switchingProtocols(req));
      const link = new WebSocketLink(socket as LinkWire, linkEvents);
      accept(link, target, clientIp(req));
      socket.uncork();
      if (head.length > 0) link.receive(head);
    },
    stats() {
      return {
        connections: ctx.connections.size,
        channels: ctx.registry.channelCount,
        presenceMembers: ctx.registry.presenceMemberCount(),
      };
    },
    snapshot: () => takeSnapshot(ctx),
    expireConnection(socketId, expiresAt) {
      if (Number.isFinite(expiresAt)) ctx.connections.get(socketId)?.expireAt(expiresAt * 1000);
    },
    async close() {
      if (closing) return;
      closing = true;
      stopHeartbeat();
      for (const connection of ctx.connections.all()) closeConnection(ctx, connection, 'shutting_down');
      // Every link is closing now: wait for the clients to answer, for the grace period at most.
      const allClosed = new Promise<void>((resolve) => (closingLinks.size === 0 ? resolve() : (allLinksClosed = resolve)));
      const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
      await Promise.race([allClosed, grace]);
      for (const link of closingLinks) link.terminate();
      webhooks?.close(); // after the sockets closed: their debounced leaves are dropped too
    },
  };
}
