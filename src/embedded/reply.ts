/** Turns a `PusherProtocolError` into frames: `pusher:error`, then a close when its code is a close code. */
import { PUSHER_ERRORS, PusherProtocolError } from './codes.js';
import type { Connection } from './connection.js';
import type { EmbeddedContext } from './context.js';
import { dropConnection } from './membership.js';

export function sendProtocolError(ctx: EmbeddedContext, connection: Connection, error: PusherProtocolError): void {
  connection.deliver({ event: 'pusher:error', data: { code: error.code, message: error.message } });
  const code = error.code;
  if (!error.closes || code === null) return;
  connection.close(code, PUSHER_ERRORS[error.kind].meaning);
  dropConnection(ctx, connection);
}

/** The fallback for a bug: logged with its cause, a fixed message to the client, the connection kept. */
export function sendUnexpectedError(ctx: EmbeddedContext, connection: Connection, err: unknown): void {
  ctx.logger.error({ err, socketId: connection.socketId }, 'embedded server: unexpected error handling a message');
  connection.deliver({ event: 'pusher:error', data: { code: null, message: 'Internal server error' } });
}

export function reportError(ctx: EmbeddedContext, connection: Connection, err: unknown): void {
  if (err instanceof PusherProtocolError) sendProtocolError(ctx, connection, err);
  else sendUnexpectedError(ctx, connection, err);
}
