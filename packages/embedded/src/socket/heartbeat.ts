/**
 * Server-side liveness: a client silent for `idleMs` gets a `pusher:ping`; one that stays silent
 * `pongTimeoutMs` longer is closed with 4201. The same sweep closes, with 4200, a connection whose
 * credentials expired (`expireConnection`). One sweep timer serves every connection, and time is
 * read from the injected clock, so tests move time instead of waiting for it.
 */
import { PusherProtocolError } from '../protocol/codes.js';
import type { EmbeddedContext } from '../context.js';
import { closeConnection, sendProtocolError } from './session.js';

interface HeartbeatOptions {
  readonly idleMs: number;
  readonly pongTimeoutMs: number;
  /** How often connections are checked (real time). */
  readonly intervalMs: number;
}

function sweepConnections(ctx: EmbeddedContext, options: HeartbeatOptions): void {
  const now = ctx.clock();
  for (const connection of ctx.connections.all()) {
    if (connection.expiresAtMs !== undefined && now >= connection.expiresAtMs) {
      closeConnection(ctx, connection, 'credentials_expired');
    } else if (connection.pingSentAtMs !== undefined) {
      if (now - connection.pingSentAtMs >= options.pongTimeoutMs) {
        sendProtocolError(ctx, connection, new PusherProtocolError('pong_timeout', 'Pong reply not received'));
      }
    } else if (now - connection.lastSeenMs >= options.idleMs) {
      connection.pingSentAtMs = now;
      connection.deliver({ event: 'pusher:ping', data: {} });
    }
  }
}

/** Returns the function that stops the sweep. */
export function startHeartbeat(ctx: EmbeddedContext, options: HeartbeatOptions): () => void {
  const timer = setInterval(() => sweepConnections(ctx, options), options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
