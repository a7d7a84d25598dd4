/** Joining and leaving channels, with the frames and hooks each change implies. */
import { SERVER_TO_USER_PREFIX } from '@pusher-auth-server/pusher-core';
import type { EmbeddedContext } from '../context.js';
import { encodeProtocolMessage, encodeSubscriptionSucceeded } from '../protocol/codec.js';
import { TextFrame } from '../protocol/frame.js';
import type { Connection } from '../socket/connection.js';
import type { PresenceMember } from './presence.js';

function reported(channel: string): boolean {
  return !channel.startsWith(SERVER_TO_USER_PREFIX);
}

/** Subscribes (idempotently), answers `subscription_succeeded` and tells the other members. */
export function joinChannel(ctx: EmbeddedContext, connection: Connection, channel: string, member?: PresenceMember): void {
  const outcome = ctx.registry.join(channel, connection, member);
  const roster = member ? ctx.registry.roster(channel) : undefined;
  if (roster) connection.deliverText(encodeSubscriptionSucceeded(channel, roster.dataJson()));
  else connection.deliver({ event: 'pusher_internal:subscription_succeeded', channel, data: {} });
  if (outcome.occupied && reported(channel)) ctx.hooks.onChannelOccupied(channel);
  if (member && outcome.memberAdded) {
    const data = member.userInfo === undefined ? { user_id: member.userId } : { user_id: member.userId, user_info: member.userInfo };
    const frame = TextFrame.of(encodeProtocolMessage({ event: 'pusher_internal:member_added', channel, data }));
    ctx.hooks.onMessageOut(ctx.registry.publish(channel, frame, connection.socketId));
    ctx.hooks.onMemberAdded(channel, member.userId);
  }
}

export function leaveChannel(ctx: EmbeddedContext, connection: Connection, channel: string): void {
  const outcome = ctx.registry.leave(channel, connection.socketId);
  if (!outcome.left) return;
  if (outcome.memberRemoved !== undefined) {
    const frame = TextFrame.of(
      encodeProtocolMessage({ event: 'pusher_internal:member_removed', channel, data: { user_id: outcome.memberRemoved } }),
    );
    ctx.hooks.onMessageOut(ctx.registry.publish(channel, frame));
    ctx.hooks.onMemberRemoved(channel, outcome.memberRemoved);
  }
  if (outcome.vacated && reported(channel)) ctx.hooks.onChannelVacated(channel);
}

/** Forgets a connection everywhere; safe to call more than once. */
export function dropConnection(ctx: EmbeddedContext, connection: Connection): void {
  if (!ctx.connections.remove(connection)) return;
  for (const channel of ctx.registry.channelsOf(connection.socketId)) leaveChannel(ctx, connection, channel);
  if (connection.user) ctx.registry.signOut(connection.user.id, connection);
  ctx.hooks.onConnectionClosed(connection.socketId);
}
