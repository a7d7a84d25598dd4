/**
 * The one owner of who is where: which sockets are subscribed to which channel (and so which
 * channels each socket is in), who is present where, and which sockets each signed-in user has.
 * Knows nothing about WebSockets: a subscriber is anything with a socket id and a `send` of a frame
 * built once per message.
 */
import type { TextFrame } from '../protocol/frame.js';
import { PresenceRoster, type PresenceMember } from './presence.js';

export interface Subscriber {
  readonly socketId: string;
  /** Whether the frame was written (not when the subscriber is closing, or was just closed for reading too slowly). */
  send(frame: TextFrame): boolean;
}

interface ChannelState<S extends Subscriber> {
  readonly subscribers: Map<string, S>;
  presence: PresenceRoster | undefined;
}

interface JoinOutcome {
  /** The socket was already subscribed; nothing changed. */
  readonly alreadySubscribed: boolean;
  /** The channel had no subscriber before (a `channel_occupied`). */
  readonly occupied: boolean;
  /** The member's user had no socket in the channel before (a `member_added`). */
  readonly memberAdded: boolean;
}

interface LeaveOutcome {
  readonly left: boolean;
  /** The channel has no subscriber left (a `channel_vacated`). */
  readonly vacated: boolean;
  /** The user whose last socket left (a `member_removed`). */
  readonly memberRemoved: string | undefined;
}

export class ChannelRegistry<S extends Subscriber> {
  private readonly channels = new Map<string, ChannelState<S>>();
  private readonly bySocket = new Map<string, Set<string>>();
  private readonly byUser = new Map<string, Set<S>>();

  /** Presence channels pass the member; the caller checks `hasRoomFor` first. */
  join(channel: string, subscriber: S, member?: PresenceMember): JoinOutcome {
    let state = this.channels.get(channel);
    if (state?.subscribers.has(subscriber.socketId)) return { alreadySubscribed: true, occupied: false, memberAdded: false };
    const occupied = state === undefined;
    if (!state) {
      state = { subscribers: new Map(), presence: undefined };
      this.channels.set(channel, state);
    }
    state.subscribers.set(subscriber.socketId, subscriber);
    addTo(this.bySocket, subscriber.socketId, channel);
    let memberAdded = false;
    if (member) {
      state.presence ??= new PresenceRoster();
      memberAdded = state.presence.add(subscriber.socketId, member);
    }
    return { alreadySubscribed: false, occupied, memberAdded };
  }

  leave(channel: string, socketId: string): LeaveOutcome {
    const state = this.channels.get(channel);
    if (!state?.subscribers.delete(socketId)) return { left: false, vacated: false, memberRemoved: undefined };
    removeFrom(this.bySocket, socketId, channel);
    const memberRemoved = state.presence?.remove(socketId);
    const vacated = state.subscribers.size === 0;
    if (vacated) this.channels.delete(channel);
    return { left: true, vacated, memberRemoved };
  }

  /** The channels a socket is in; a copy, so callers may leave them while iterating. */
  channelsOf(socketId: string): string[] {
    return [...(this.bySocket.get(socketId) ?? [])];
  }

  channelCountOf(socketId: string): number {
    return this.bySocket.get(socketId)?.size ?? 0;
  }

  /** Records a signed-in socket of `userId` (for `terminate_connections`). */
  signIn(userId: string, subscriber: S): void {
    addTo(this.byUser, userId, subscriber);
  }

  signOut(userId: string, subscriber: S): void {
    removeFrom(this.byUser, userId, subscriber);
  }

  /** The user's signed-in sockets; a copy, so callers may close them while iterating. */
  connectionsOf(userId: string): S[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  isSubscribed(channel: string, socketId: string): boolean {
    return this.channels.get(channel)?.subscribers.has(socketId) ?? false;
  }

  /** Whether the user may join the presence channel (already a member, or under the member limit). */
  hasRoomFor(channel: string, userId: string): boolean {
    return this.channels.get(channel)?.presence?.hasRoomFor(userId) ?? true;
  }

  memberOf(channel: string, socketId: string): PresenceMember | undefined {
    return this.channels.get(channel)?.presence?.memberOf(socketId);
  }

  roster(channel: string): PresenceRoster | undefined {
    return this.channels.get(channel)?.presence;
  }

  /** Sends the same frame to every subscriber but `exceptSocketId`; returns how many it was written to. */
  publish(channel: string, frame: TextFrame, exceptSocketId?: string): number {
    const state = this.channels.get(channel);
    if (!state) return 0;
    let sent = 0;
    for (const [socketId, subscriber] of state.subscribers) {
      if (socketId === exceptSocketId) continue;
      if (subscriber.send(frame)) sent += 1;
    }
    return sent;
  }

  subscriptionCount(channel: string): number {
    return this.channels.get(channel)?.subscribers.size ?? 0;
  }

  userCount(channel: string): number {
    return this.channels.get(channel)?.presence?.userCount ?? 0;
  }

  /** Names of the occupied channels. */
  channelNames(): IterableIterator<string> {
    return this.channels.keys();
  }

  get channelCount(): number {
    return this.channels.size;
  }

  /** Distinct users summed over presence channels. */
  presenceMemberCount(): number {
    let total = 0;
    for (const state of this.channels.values()) total += state.presence?.userCount ?? 0;
    return total;
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
