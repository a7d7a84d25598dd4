/** The message loop of one connection: decode, dispatch, and the one catch that turns errors into frames. */
import type { RawData, WebSocket } from 'ws';
import { handleClientEvent } from './client-events.js';
import { PusherProtocolError } from './codes.js';
import { decodeClientMessage, type ClientMessage } from './codec.js';
import type { Connection } from './connection.js';
import type { EmbeddedContext } from './context.js';
import { dropConnection } from './membership.js';
import { reportError } from './reply.js';
import { handleSignin } from './signin.js';
import { handleSubscribe, handleUnsubscribe } from './subscribe.js';

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

function text(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}

export function runSession(ctx: EmbeddedContext, socket: WebSocket, connection: Connection): void {
  socket.on('message', (raw: RawData, isBinary: boolean) => {
    if (connection.isClosing) return;
    connection.touch(ctx.clock());
    ctx.hooks.onMessageIn();
    try {
      if (isBinary) throw new PusherProtocolError('invalid_message', 'Binary frames are not supported: send JSON text frames');
      dispatch(ctx, connection, decodeClientMessage(text(raw)));
    } catch (err) {
      reportError(ctx, connection, err);
    }
  });
  socket.on('pong', () => connection.touch(ctx.clock()));
  socket.on('close', () => dropConnection(ctx, connection));
  socket.on('error', (err) => ctx.logger.debug({ err, socketId: connection.socketId }, 'embedded server: websocket error'));
}
