/** Pusher's vocabulary for socket ids, channel names and user ids (docs/protocol.md#names-and-input-rules). */

export const SOCKET_ID_PATTERN = /^\d+\.\d+$/;
export const CHANNEL_NAME_MAX_LENGTH = 164;
export const USER_ID_MAX_LENGTH = 128;
const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_\-=@,.;]+$/;
export const SERVER_TO_USER_PREFIX = '#server-to-user-';

const NAME_CHARACTERS_IN_WORDS = 'A-Z a-z 0-9 _ - = @ , . ;';
/** The channel-name rule in words, for every refusal that names it. */
export const CHANNEL_NAME_RULE = `must be 1..${CHANNEL_NAME_MAX_LENGTH} characters of ${NAME_CHARACTERS_IN_WORDS}`;
/** The user-id rule in words. */
export const USER_ID_RULE = `must be 1..${USER_ID_MAX_LENGTH} characters of ${NAME_CHARACTERS_IN_WORDS}`;
/** The socket-id rule in words. */
export const SOCKET_ID_RULE = 'must look like 1234.5678';

export type ChannelKind = 'public' | 'private' | 'presence' | 'private-encrypted' | 'server-to-user';

export function isValidSocketId(value: unknown): value is string {
  return typeof value === 'string' && SOCKET_ID_PATTERN.test(value);
}

/** The pattern's `+` is what refuses an empty name. */
const isNameUpTo = (maxLength: number, value: unknown): value is string =>
  typeof value === 'string' && value.length <= maxLength && CHANNEL_NAME_PATTERN.test(value);

/** A name an app may use: 1..164 characters of the documented set. `#` names are Pusher's own. */
export function isValidChannelName(value: unknown): value is string {
  return isNameUpTo(CHANNEL_NAME_MAX_LENGTH, value);
}

/** User ids appear in channel names (`private-user-<id>`), so they share the character set. */
export function isValidUserId(value: unknown): value is string {
  return isNameUpTo(USER_ID_MAX_LENGTH, value);
}

/** The one place that maps a channel name's prefix to its kind. */
export function channelKind(name: string): ChannelKind {
  if (name.startsWith(SERVER_TO_USER_PREFIX)) return 'server-to-user';
  if (name.startsWith('private-encrypted-')) return 'private-encrypted';
  if (name.startsWith('private-')) return 'private';
  if (name.startsWith('presence-')) return 'presence';
  return 'public';
}

/** Channels that need a signature to join. */
export function requiresAuthorization(kind: ChannelKind): boolean {
  return kind === 'private' || kind === 'presence' || kind === 'private-encrypted';
}

/**
 * Names an app may publish to: valid channel names, and `#server-to-user-<id>` whose id passes
 * `isUserId` (our own routes' user ids by default; the embedded server accepts any other server's).
 */
export function isPublishableChannel(name: string, isUserId: (id: string) => boolean = isValidUserId): boolean {
  if (name.startsWith(SERVER_TO_USER_PREFIX)) return isUserId(name.slice(SERVER_TO_USER_PREFIX.length));
  return isValidChannelName(name);
}
