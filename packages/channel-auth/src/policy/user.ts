/**
 * Who is asking, as the policy sees it: only ever what a verified source said (a session, a token),
 * never what the client sent.
 */
import { exceedsJsonDepth, isJsonObject, isValidUserId, MAX_JSON_DEPTH, USER_ID_RULE } from '@pusher-auth-server/pusher-core';

export type UserInfo = Readonly<Record<string, unknown>>;

/** What your app returns for the user behind a request. */
export interface AppUser {
  /** 1..128 channel-name characters: it appears in names such as `private-user-<id>`. */
  readonly id: string;
  /** Presence `user_info` and the sign-in's `user_data` carry it; at most 1,024 bytes as JSON for presence. */
  readonly info?: UserInfo;
  /** Globs of extra channels this user may join (`presence-team-7`, `private-doc-*`), for `claimedChannels()`. */
  readonly channels?: readonly string[];
  /**
   * When the user's credentials expire, in seconds since the epoch (a JWT's `exp`). Told to
   * `onGranted`, so a Pusher server can close the connection then.
   */
  readonly expiresAt?: number;
}

/** The verified user, checked and frozen. */
export interface User {
  readonly id: string;
  readonly info?: UserInfo;
  readonly channels: readonly string[];
  readonly expiresAt?: number;
}

/**
 * Checks what the app says about its user: a bad value is the app's bug (a `TypeError`, never a
 * signature), so it is told at once rather than signed or refused as the client's fault.
 */
export function toUser(value: AppUser): User {
  if (!isJsonObject(value)) throw new TypeError('The user must be an object with an id.');
  const { id, info, channels, expiresAt } = value;
  if (!isValidUserId(id)) throw new TypeError(`The user's id ${USER_ID_RULE}.`);
  if (info !== undefined && (!isJsonObject(info) || exceedsJsonDepth(info))) {
    throw new TypeError(`The user's info must be a JSON object nested at most ${MAX_JSON_DEPTH} levels.`);
  }
  if (channels !== undefined && !(Array.isArray(channels) && channels.every((glob) => typeof glob === 'string'))) {
    throw new TypeError("The user's channels must be an array of strings.");
  }
  if (expiresAt !== undefined && !Number.isFinite(expiresAt)) throw new TypeError("The user's expiresAt must be a number of seconds.");
  return Object.freeze({
    id,
    ...(info === undefined ? {} : { info: Object.freeze({ ...info }) }),
    channels: Object.freeze([...(channels ?? [])]),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
}
