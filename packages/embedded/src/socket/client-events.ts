/**
 * Client events (docs/protocol.md#client-events): `client-*` only, on private/presence channels the sender is in,
 * never echoed, `user_id` added on presence, `CLIENT_EVENTS_PER_SECOND` accepted per rolling second per connection. An
 * event counts against the limit before its data is looked at, so a flood of costly data is cut
 * off like any other flood.
 */
import {
  channelKind,
  EVENT_DATA_MAX_BYTES,
  EVENT_NAME_MAX_LENGTH,
  exceedsJsonDepth,
  MAX_JSON_DEPTH,
} from '@pusher-auth-server/pusher-core';
import type { EmbeddedContext } from '../context.js';
import { PusherProtocolError } from '../protocol/codes.js';
import { clientEventDataString, encodeChannelEvent, type JsonValue } from '../protocol/codec.js';
import { TextFrame } from '../protocol/frame.js';
import { CLIENT_EVENTS_PER_SECOND, type Connection } from './connection.js';

function refused(message: string): PusherProtocolError {
  return new PusherProtocolError('client_event_refused', message);
}

export function handleClientEvent(
  ctx: EmbeddedContext,
  connection: Connection,
  message: { event: string; channel: string; data: JsonValue | undefined },
): void {
  const { event, channel } = message;
  if (!ctx.clientEvents) throw refused('Client events are disabled on this server (EMBEDDED_CLIENT_EVENTS=false)');
  if (event.length > EVENT_NAME_MAX_LENGTH) throw refused(`Client event name is over ${EVENT_NAME_MAX_LENGTH} characters`);
  const kind = channelKind(channel);
  if (kind !== 'private' && kind !== 'presence') {
    throw refused(`Client event ${event} refused: client events are only allowed on private and presence channels`);
  }
  if (!ctx.registry.isSubscribed(channel, connection.socketId)) {
    throw refused(`Client event ${event} refused: not subscribed to ${channel}`);
  }
  if (!connection.tryClientEvent(ctx.clock())) {
    throw new PusherProtocolError('rate_limited', `Client event ${event} rejected: more than ${CLIENT_EVENTS_PER_SECOND} client events per second`);
  }
  if (exceedsJsonDepth(message.data)) {
    throw new PusherProtocolError('too_deep', `Client event ${event} refused: data nests more than ${MAX_JSON_DEPTH} levels deep`);
  }
  const data = clientEventDataString(message.data);
  if (Buffer.byteLength(data) > EVENT_DATA_MAX_BYTES) throw refused(`Client event ${event} refused: data is over ${EVENT_DATA_MAX_BYTES} bytes`);
  const userId = kind === 'presence' ? ctx.registry.memberOf(channel, connection.socketId)?.userId : undefined;
  const frame = TextFrame.of(encodeChannelEvent(userId === undefined ? { event, channel, data } : { event, channel, data, user_id: userId }));
  ctx.hooks.onMessageOut(ctx.registry.publish(channel, frame, connection.socketId));
  ctx.hooks.onClientEvent(userId === undefined ? { channel, event, data, socketId: connection.socketId } : { channel, event, data, socketId: connection.socketId, userId });
}
