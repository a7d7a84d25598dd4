/**
 * Who may join which channel: edit this file. Rules are tried in order and the first whose
 * pattern matches decides (like Laravel's routes/channels.php). A `{param}` takes one or more
 * channel-name characters. Return `true` to allow, or a sentence saying why not.
 * Anything no rule matches is refused with "no rule matches".
 */
import { rooms } from './demo/rooms.js';
import { channel, claimedChannels, type ChannelRule } from '@pusher-auth-server/channel-auth';

const ownerOnly = (owner: string, userId: string) =>
  owner === userId || `only user "${owner}" may join this channel`;

export const channelRules: readonly ChannelRule[] = [
  channel('private-encrypted-user-{userId}', ({ user, params }) => ownerOnly(params.userId, user.id)),
  channel('private-user-{userId}', ({ user, params }) => ownerOnly(params.userId, user.id)),
  // Decided from the app's data (the demo's stand-in, src/demo/rooms.ts); a database query goes here.
  channel('private-room-{roomId}', ({ user, params }) => rooms.isMember(params.roomId, user.id) || 'not a member of this room'),
  // Presence member data is always the verified user: { user_id: user.id, user_info: user.info }.
  channel('presence-{room}', () => true),
  claimedChannels(),
];
