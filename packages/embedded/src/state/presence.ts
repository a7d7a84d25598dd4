/**
 * Presence bookkeeping for one channel: members are users, not sockets. A user is added on its
 * first socket and removed after its last, so two tabs of one user count once.
 */
import { PRESENCE_MAX_MEMBERS, USER_ID_MAX_LENGTH } from '@pusher-auth-server/pusher-core';
import type { JsonValue, PresenceSnapshot } from '../protocol/codec.js';

/**
 * User ids other servers' clients may bring (presence, sign-in, `#server-to-user-`): any 1..128
 * characters. Our own auth routes are stricter (channel-name characters), and always within this.
 */
/** The rule above in words, for every refusal that names it. */
export const PRESENCE_USER_ID_RULE = `1..${USER_ID_MAX_LENGTH} characters`;

export function isPresenceUserId(value: string): boolean {
  return value.length >= 1 && value.length <= USER_ID_MAX_LENGTH;
}

export interface PresenceMember {
  readonly userId: string;
  /** Absent when the client gave none. */
  readonly userInfo?: JsonValue;
}

interface MemberEntry {
  readonly member: PresenceMember;
  readonly sockets: Set<string>;
  /** The member's parts of the roster's JSON, `"id"` and `"id":info`, made once when it joins. */
  readonly idJson: string;
  readonly hashJson: string;
}

export class PresenceRoster {
  private readonly users = new Map<string, MemberEntry>();
  private readonly socketUser = new Map<string, string>();
  /** `dataJson()`'s text until the members change. */
  private encoded: string | undefined;

  get userCount(): number {
    return this.users.size;
  }

  memberOf(socketId: string): PresenceMember | undefined {
    const userId = this.socketUser.get(socketId);
    return userId === undefined ? undefined : this.users.get(userId)?.member;
  }

  /** Whether `userId` may join: it is already a member, or there is room for one more. */
  hasRoomFor(userId: string): boolean {
    return this.users.has(userId) || this.users.size < PRESENCE_MAX_MEMBERS;
  }

  /** Returns true when this is the user's first socket (a `member_added`). The first socket's info wins. */
  add(socketId: string, member: PresenceMember): boolean {
    if (this.socketUser.has(socketId)) return false;
    this.socketUser.set(socketId, member.userId);
    const entry = this.users.get(member.userId);
    if (entry) {
      entry.sockets.add(socketId);
      return false;
    }
    const idJson = JSON.stringify(member.userId);
    this.users.set(member.userId, { member, sockets: new Set([socketId]), idJson, hashJson: `${idJson}:${JSON.stringify(member.userInfo ?? null)}` });
    this.encoded = undefined;
    return true;
  }

  /** Returns the user id when this was the user's last socket (a `member_removed`). */
  remove(socketId: string): string | undefined {
    const userId = this.socketUser.get(socketId);
    if (userId === undefined) return undefined;
    this.socketUser.delete(socketId);
    const entry = this.users.get(userId);
    if (!entry) return undefined;
    entry.sockets.delete(socketId);
    if (entry.sockets.size > 0) return undefined;
    this.users.delete(userId);
    this.encoded = undefined;
    return userId;
  }

  userIds(): string[] {
    return [...this.users.keys()];
  }

  /**
   * `{"presence": snapshot()}` as JSON, the `subscription_succeeded` data, from each member's parts
   * encoded once: every join sends the whole roster, so a channel filling up would otherwise encode
   * its members again for each newcomer.
   */
  dataJson(): string {
    if (this.encoded !== undefined) return this.encoded;
    const ids: string[] = [];
    const hash: string[] = [];
    for (const entry of this.users.values()) {
      ids.push(entry.idJson);
      hash.push(entry.hashJson);
    }
    this.encoded = `{"presence":{"ids":[${ids.join(',')}],"hash":{${hash.join(',')}},"count":${this.users.size}}}`;
    return this.encoded;
  }

  snapshot(): PresenceSnapshot {
    // A null prototype, so a user id such as `__proto__` is an ordinary key.
    const hash = Object.create(null) as Record<string, JsonValue>;
    for (const [userId, { member }] of this.users) hash[userId] = member.userInfo ?? null;
    return { ids: this.userIds(), hash, count: this.users.size };
  }
}
