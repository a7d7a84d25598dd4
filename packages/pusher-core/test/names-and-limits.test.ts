/**
 * docs/protocol.md#names-and-input-rules: the edges of Pusher's names and limits, asserted on the pure functions every
 * part (auth, trigger, embedded server) shares, so an off-by-one or a lost anchor fails here.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_NAME_MAX_LENGTH, eventNameProblem } from '../src/limits.js';
import {
  CHANNEL_NAME_MAX_LENGTH,
  channelKind,
  isPublishableChannel,
  isValidChannelName,
  isValidSocketId,
  isValidUserId,
  requiresAuthorization,
  USER_ID_MAX_LENGTH,
  type ChannelKind,
} from '../src/names.js';

describe('socket ids', () => {
  it.each(['1.1', '1234.5678', '0.0'])('accepts %s', (id) => {
    expect(isValidSocketId(id)).toBe(true);
  });

  it.each(['', '1', '1.', '.1', '1.1.1', 'a1.1', '1.1a', ' 1.1', '1.1\n', '1,1', '-1.1', 12.5, undefined, null])('refuses %j', (id) => {
    expect(isValidSocketId(id)).toBe(false);
  });
});

describe('channel names and user ids', () => {
  const allowed = 'Az09_-=@,.;';

  it('accepts every documented character, and a single one', () => {
    expect(isValidChannelName(`private-${allowed}`)).toBe(true);
    expect(isValidChannelName('a')).toBe(true);
    expect(isValidUserId(allowed)).toBe(true);
    expect(isValidUserId('7')).toBe(true);
  });

  it.each(['', 'a b', 'private-a:b', 'a#b', '#server-to-user-1', 'é', 'a\n', 'a/b', 'a*'])('refuses %j as a channel name and a user id', (name) => {
    expect(isValidChannelName(name)).toBe(false);
    expect(isValidUserId(name)).toBe(false);
  });

  it('allows exactly the maximum length and refuses one more', () => {
    expect(isValidChannelName('c'.repeat(CHANNEL_NAME_MAX_LENGTH))).toBe(true);
    expect(isValidChannelName('c'.repeat(CHANNEL_NAME_MAX_LENGTH + 1))).toBe(false);
    expect(isValidUserId('u'.repeat(USER_ID_MAX_LENGTH))).toBe(true);
    expect(isValidUserId('u'.repeat(USER_ID_MAX_LENGTH + 1))).toBe(false);
  });

  it('refuses values that are not strings', () => {
    for (const value of [undefined, null, 7, ['a'], { length: 1 }]) {
      expect(isValidChannelName(value)).toBe(false);
      expect(isValidUserId(value)).toBe(false);
    }
  });
});

describe('channel kinds', () => {
  const kinds: Array<[string, ChannelKind, boolean]> = [
    ['#server-to-user-7', 'server-to-user', false],
    ['private-encrypted-doc', 'private-encrypted', true],
    ['private-doc', 'private', true],
    ['presence-room', 'presence', true],
    ['public-room', 'public', false],
    ['room-private-', 'public', false],
    ['server-to-user-7', 'public', false],
    ['encrypted-private-x', 'public', false],
    ['xpresence-room', 'public', false],
  ];

  it.each(kinds)('%s is %s (signature needed: %s)', (name, kind, needsSignature) => {
    expect(channelKind(name)).toBe(kind);
    expect(requiresAuthorization(channelKind(name))).toBe(needsSignature);
  });
});

describe('channels an app may publish to', () => {
  it('valid channel names, and #server-to-user-<id> whose id (without the prefix) passes the check', () => {
    expect(isPublishableChannel('private-a')).toBe(true);
    expect(isPublishableChannel('#server-to-user-ada')).toBe(true);
    expect(isPublishableChannel('#server-to-user-a b')).toBe(false);
    expect(isPublishableChannel('#other')).toBe(false);
    const seen: string[] = [];
    expect(isPublishableChannel('#server-to-user-x|y', (id) => (seen.push(id), true))).toBe(true);
    expect(seen).toStrictEqual(['x|y']);
  });
});

describe('event names an app may publish', () => {
  it('allows 1..200 characters and refuses 0 or 201', () => {
    expect(eventNameProblem('e')).toBeUndefined();
    expect(eventNameProblem('e'.repeat(EVENT_NAME_MAX_LENGTH))).toBeUndefined();
    expect(eventNameProblem('')).toBe('must be 1..200 characters');
    expect(eventNameProblem('e'.repeat(EVENT_NAME_MAX_LENGTH + 1))).toBe('must be 1..200 characters');
  });

  it("refuses Pusher's reserved prefixes and nothing that merely resembles them", () => {
    const reserved = 'must not start with pusher: or pusher_internal: (reserved for Pusher)';
    expect(eventNameProblem('pusher:subscribe')).toBe(reserved);
    expect(eventNameProblem('pusher_internal:member_added')).toBe(reserved);
    expect(eventNameProblem('my-pusher:event')).toBeUndefined();
    expect(eventNameProblem('pusher-event')).toBeUndefined();
    expect(eventNameProblem('client-pusher_internal:x')).toBeUndefined();
  });
});
