/** `pusher:subscribe` and `pusher:unsubscribe` (docs/protocol.md#channel-signatures, #auth-endpoint-answers, #user-authentication and #websocket-events). */
import {
  CHANNEL_NAME_RULE,
  channelKind,
  channelStringToSign,
  exceedsJsonDepth,
  isValidChannelName,
  MAX_JSON_DEPTH,
  PRESENCE_MAX_MEMBERS,
  readJsonObject,
  SERVER_TO_USER_PREFIX,
  USER_INFO_MAX_BYTES,
  verifyAuthString,
} from '@pusher-auth-server/pusher-core';
import type { EmbeddedContext } from '../context.js';
import { clip, PusherProtocolError } from '../protocol/codes.js';
import type { JsonValue, SubscribeData } from '../protocol/codec.js';
import { joinChannel, leaveChannel } from '../state/membership.js';
import { isPresenceUserId, PRESENCE_USER_ID_RULE, type PresenceMember } from '../state/presence.js';
import type { Connection } from './connection.js';

const ECHO_LIMIT = 200;

function refused(message: string): PusherProtocolError {
  return new PusherProtocolError('subscription_refused', message);
}

/** Verifies `key:hmac` over the exact bytes sent; the message names the string to sign, never the secret. */
function verifyChannelAuth(ctx: EmbeddedContext, connection: Connection, data: SubscribeData): void {
  const stringToSign = channelStringToSign(connection.socketId, data.channel, data.channel_data);
  const auth = data.auth ?? '';
  if (verifyAuthString(ctx.app, stringToSign, auth)) return;
  const colon = auth.indexOf(':');
  if (colon > 0 && auth.slice(0, colon) !== ctx.app.key) {
    throw refused(`Invalid key in subscription auth data: '${clip(auth.slice(0, colon), ECHO_LIMIT)}'`);
  }
  const received = colon === -1 ? auth : auth.slice(colon + 1);
  throw refused(`Invalid signature: Expected HMAC SHA256 hex digest of ${stringToSign}, but got ${clip(received, ECHO_LIMIT)}`);
}

function parseChannelData(channel: string, channelData: string): PresenceMember {
  const parsed = readJsonObject(channelData);
  if (parsed === 'invalid-json') throw refused(`Invalid channel_data for ${channel}: not JSON`);
  if (parsed === 'not-an-object') throw refused(`Invalid channel_data for ${channel}: expected a JSON object`);
  const record = parsed as Record<string, JsonValue>;
  const rawId = record.user_id;
  const userId = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : rawId;
  if (typeof userId !== 'string') throw refused(`Invalid channel_data for ${channel}: user_id must be a string`);
  return record.user_info === undefined ? { userId } : { userId, userInfo: record.user_info };
}

function presenceMember(ctx: EmbeddedContext, connection: Connection, data: SubscribeData): PresenceMember {
  const { channel } = data;
  let member: PresenceMember;
  if (data.channel_data !== undefined) member = parseChannelData(channel, data.channel_data);
  else if (connection.user) member = connection.user.userInfo === undefined ? { userId: connection.user.id } : { userId: connection.user.id, userInfo: connection.user.userInfo };
  else throw refused(`Presence channel ${channel} needs channel_data, or a connection signed in with pusher:signin`);
  if (!isPresenceUserId(member.userId)) {
    throw refused(`Invalid user_id for ${channel}: ${PRESENCE_USER_ID_RULE}`);
  }
  if (exceedsJsonDepth(member.userInfo)) {
    throw new PusherProtocolError('too_deep', `user_info for ${channel} nests more than ${MAX_JSON_DEPTH} levels deep`);
  }
  if (member.userInfo !== undefined && Buffer.byteLength(JSON.stringify(member.userInfo)) > USER_INFO_MAX_BYTES) {
    throw refused(`user_info for ${channel} is over ${USER_INFO_MAX_BYTES} bytes`);
  }
  if (!ctx.registry.hasRoomFor(channel, member.userId)) {
    throw refused(`Presence channel ${channel} is full: at most ${PRESENCE_MAX_MEMBERS} members`);
  }
  return member;
}

function subscribeServerToUser(ctx: EmbeddedContext, connection: Connection, channel: string): void {
  const userId = channel.slice(SERVER_TO_USER_PREFIX.length);
  if (connection.user?.id !== userId) {
    throw refused(`Cannot subscribe to ${clip(channel, ECHO_LIMIT)}: only a connection signed in as that user may`);
  }
  joinChannel(ctx, connection, channel);
}

/** Bounds what one connection can make the server hold (and the webhooks it can cause). */
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 1000;

export function handleSubscribe(ctx: EmbeddedContext, connection: Connection, data: SubscribeData): void {
  const { channel } = data;
  const subscribed = ctx.registry.channelCountOf(connection.socketId);
  if (subscribed >= MAX_SUBSCRIPTIONS_PER_CONNECTION && !ctx.registry.isSubscribed(channel, connection.socketId)) {
    throw refused(`Cannot subscribe to ${clip(channel, ECHO_LIMIT)}: at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} channels per connection`);
  }
  const kind = channelKind(channel);
  if (kind === 'server-to-user') return subscribeServerToUser(ctx, connection, channel);
  if (!isValidChannelName(channel)) {
    throw refused(`Invalid channel name '${clip(channel, ECHO_LIMIT)}': ${CHANNEL_NAME_RULE}`);
  }
  if (kind === 'public') return joinChannel(ctx, connection, channel);
  verifyChannelAuth(ctx, connection, data);
  if (kind === 'presence') return joinChannel(ctx, connection, channel, presenceMember(ctx, connection, data));
  joinChannel(ctx, connection, channel);
}

/** Unsubscribing from a channel the socket is not in is not an error (the protocol has no reply). */
export function handleUnsubscribe(ctx: EmbeddedContext, connection: Connection, channel: string): void {
  leaveChannel(ctx, connection, channel);
}
