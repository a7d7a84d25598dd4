/**
 * `@pusher-auth-server/embedded`: a real protocol-7 Pusher server in-process, for development,
 * demos, tests and small single-node deployments. Unmodified pusher-js and the `pusher` SDK talk
 * to it as they talk to Pusher.
 *
 *   const pusher = createPusherServer({ appId: 'app', key: 'key', secret: 'secret' });
 *   const { port } = await pusher.listen(0);   // or pusher.attach(yourHttpServer)
 *   ...
 *   await pusher.close();                      // every socket is closed with 4200
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { listen } from '@pusher-auth-server/pusher-core';
import { isOwnUpgradePath } from './socket/upgrade.js';
import { createPusherHandlers, type PusherServerHandlers, type PusherServerOptions } from './pusher-server.js';

export type { PusherServerOptions, PusherServerHandlers } from './pusher-server.js';
export type { EmbeddedHooks, ClientEventInfo } from './hooks.js';
export type { EmbeddedSnapshot } from './state/snapshot.js';
export type { Cancel, DeliveryOptions, DeliveryOutcome, Scheduler, WebhookSenderOptions } from './webhook-sender/index.js';
export type { Logger } from '@pusher-auth-server/pusher-core';

export interface PusherServer extends PusherServerHandlers {
  /** Serves on a server of its own: port 0 picks a free one. Default host 127.0.0.1. */
  listen(port?: number, host?: string): Promise<{ readonly port: number; readonly host: string }>;
  /**
   * Serves on an existing HTTP server, beside what it already serves: `/apps/...` requests and
   * `/app/...` upgrades are ours, everything else goes to the server's own listeners.
   */
  attach(server: Server): void;
}

export function createPusherServer(options: PusherServerOptions): PusherServer {
  const handlers = createPusherHandlers(options);
  let own: Server | undefined;

  const attach = (server: Server): void => {
    const others = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (handlers.handleRequest(req, res)) return;
      if (others.length === 0) return notFound(res);
      for (const listener of others) listener.call(server, req, res);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Another upgrade listener (the app's own WebSocket server) keeps the paths that are not ours.
      if (!isOwnUpgradePath(req.url) && server.listenerCount('upgrade') > 1) return;
      handlers.handleUpgrade(req, socket, head);
    });
  };

  return {
    ...handlers,
    attach,
    async listen(port = 0, host = '127.0.0.1') {
      if (own) throw new Error('this Pusher server is already listening');
      const server = createServer();
      attach(server);
      await listen(server, port, host);
      own = server;
      return { port: (server.address() as AddressInfo).port, host };
    },
    async close() {
      await handlers.close();
      if (!own) return;
      const server = own;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function notFound(res: ServerResponse): void {
  const body = 'Not found: this server answers /apps/<appId>/... and WebSockets at /app/<key>';
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
