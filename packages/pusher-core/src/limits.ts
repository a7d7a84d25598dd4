/** Pusher's limits (docs/protocol.md#limits, docs/design.md#sizes), one definition for every part that applies them. */

export const EVENT_NAME_MAX_LENGTH = 200;
/** Bytes (UTF-8) of the `data` string an event carries. */
export const EVENT_DATA_MAX_BYTES = 10_240;
export const MAX_CHANNELS_PER_EVENT = 100;
export const MAX_BATCH_EVENTS = 10;
export const PRESENCE_MAX_MEMBERS = 100;
/** Bytes of a presence member's serialized `user_info`. */
export const USER_INFO_MAX_BYTES = 1024;

/** Why an app may not publish an event with this name, or `undefined` when it may. */
export function eventNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > EVENT_NAME_MAX_LENGTH) return `must be 1..${EVENT_NAME_MAX_LENGTH} characters`;
  if (name.startsWith('pusher:') || name.startsWith('pusher_internal:')) {
    return 'must not start with pusher: or pusher_internal: (reserved for Pusher)';
  }
  return undefined;
}
