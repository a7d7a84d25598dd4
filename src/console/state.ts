/**
 * GET /console/state's answer, bounded: a page an operator reads, not a dump. Full presence
 * channels (100 members, up to 1 KB of info each) on hundreds of channels would make it tens of MB,
 * serialized on every refresh. Counts stay exact; `truncated` says something was left out.
 */
import type { EmbeddedSnapshot } from '@pusher-auth-server/embedded';

export interface StateLimits {
  /** Channels listed (by name, in order); `channelCount` is the full count. */
  readonly channels: number;
  /** Members listed per presence channel; its `memberCount` is the full count. */
  readonly membersPerChannel: number;
  /** Signed-in users listed; `userCount` is the full count. */
  readonly users: number;
}

/** At most about 2 MB even when every listed member carries 1 KB of info; usually a few KB. */
export const STATE_LIMITS: StateLimits = { channels: 100, membersPerChannel: 20, users: 100 };

type SnapshotChannel = EmbeddedSnapshot['channels'][number];

export interface ConsoleState {
  readonly connections: number;
  readonly channelCount: number;
  readonly channels: ReadonlyArray<Omit<SnapshotChannel, 'members'> & { members?: SnapshotChannel['members']; memberCount?: number }>;
  readonly userCount: number;
  readonly users: EmbeddedSnapshot['users'];
  /** True when a channel, a member or a user was left out of the lists. */
  readonly truncated: boolean;
}

export function boundedState(snapshot: EmbeddedSnapshot, limits: StateLimits = STATE_LIMITS): ConsoleState {
  let truncated = snapshot.channelCount > limits.channels || snapshot.userCount > limits.users;
  const channels = snapshot.channels.slice(0, limits.channels).map(({ members, ...channel }) => {
    if (!members) return channel;
    if (members.length > limits.membersPerChannel) truncated = true;
    return { ...channel, memberCount: members.length, members: members.slice(0, limits.membersPerChannel) };
  });
  return {
    connections: snapshot.connections,
    channelCount: snapshot.channelCount,
    channels,
    userCount: snapshot.userCount,
    users: snapshot.users.slice(0, limits.users),
    truncated,
  };
}
