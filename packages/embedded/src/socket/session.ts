/**
 * A connection's messages: decode, dispatch, and the one catch that turns errors into frames
 * (`pusher:error`, then a close when its code is a close code).
 */
import type { EmbeddedContext } from '../context.js';
import { PUSHER_ERRORS, type PusherErrorKind, PusherProtocolError } from '../protocol/codes.js';
import { decodeClientMessage, errorEvent, type ClientMessage } from '../protocol/codec.js';
import { dropConnection } from '../state/membership.js';
import { handleClientEvent } from './client-events.js';
import type { Connection } from './connection.js';
import { handleSignin } from './signin.js';
import { handleSubscribe, handleUnsubscribe } from './subscribe.js';

export function sendProtocolError(ctx: EmbeddedContext, connection: Connection, error: PusherProtocolError): void {
  connection.deliver(errorEvent(error.code, error.message));
  if (error.closes) closeConnection(ctx, connection, error.kind);
}

/** Closes with the table's code and meaning, and forgets the connection at once (its channels, its presence). */
export function closeConnection(ctx: EmbeddedContext, connection: Connection, kind: PusherErrorKind): void {
  const { code, meaning } = PUSHER_ERRORS[kind];
  if (code === null) return;
  connection.close(code, meaning);
  dropConnection(ctx, connection);
}

/** A client's fault is answered and logged at debug; anything else is a bug: logged with its cause, a fixed message sent. */
function reportError(ctx: EmbeddedContext, connection: Connection, err: unknown): void {
  if (err instanceof PusherProtocolError) {
    ctx.logger.debug({ socketId: connection.socketId, kind: err.kind }, 'embedded server: message refused');
    sendProtocolError(ctx, connection, err);
    return;
  }
  ctx.logger.error({ err, socketId: connection.socketId }, 'embedded server: unexpected error handling a message');
  connection.deliver(errorEvent(null, 'Internal server error'));
}

function dispatch(ctx: EmbeddedContext, connection: Connection, message: ClientMessage): void {
  switch (message.event) {
    case 'pusher:ping':
      connection.deliver({ event: 'pusher:pong', data: {} });
      return;
    case 'pusher:pong':
      return;
    case 'pusher:subscribe':
      handleSubscribe(ctx, connection, message.data);
      return;
    case 'pusher:unsubscribe':
      handleUnsubscribe(ctx, connection, message.data.channel);
      return;
    case 'pusher:signin':
      handleSignin(ctx, connection, message.data);
      return;
    default:
      handleClientEvent(ctx, connection, message);
  }
}

/** One message from the client: the connection is alive; a text frame is decoded and dispatched, a binary one refused. */
export function handleMessage(ctx: EmbeddedContext, connection: Connection, data: Buffer, binary: boolean): void {
  if (connection.isClosing) return;
  connection.touch(ctx.clock());
  ctx.hooks.onMessageIn();
  try {
    if (binary) throw new PusherProtocolError('invalid_message', 'Binary frames are not supported: send JSON text frames');
    dispatch(ctx, connection, decodeClientMessage(data.toString('utf8')));
  } catch (err) {
    reportError(ctx, connection, err);
  }
}
