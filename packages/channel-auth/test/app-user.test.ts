/**
 * What the app says about its user is checked before anything is decided: a bad value is the app's
 * bug, a TypeError naming what is wrong, never a signature. Found by mutation testing (issue 19).
 */
import { describe, expect, it } from 'vitest';
import { type AppUser, toUser } from '../src/policy/user.js';

/** Objects nested `depth + 1` levels (`{}` is one). */
const nested = (depth: number): Record<string, unknown> => (depth === 0 ? {} : { a: nested(depth - 1) });
const badUser = (value: unknown) => () => toUser(value as AppUser);

describe('toUser refuses', () => {
  it.each([null, 'ada', ['1']])('%j: not an object', (value) => {
    expect(badUser(value)).toThrow(new TypeError('The user must be an object with an id.'));
  });

  it.each([{}, { id: '' }, { id: 7 }, { id: 'a b' }, { id: 'x'.repeat(129) }])('%j: not a user id', (value) => {
    expect(badUser(value)).toThrow(new TypeError("The user's id must be 1..128 characters of A-Z a-z 0-9 _ - = @ , . ;."));
  });

  it.each([{ info: 'ada' }, { info: ['a'] }, { info: nested(64) }])('info %#: not a JSON object nested at most 64 levels', (extra) => {
    expect(badUser({ id: '1', ...extra })).toThrow(new TypeError("The user's info must be a JSON object nested at most 64 levels."));
  });

  it.each([{ channels: 'private-a' }, { channels: ['private-a', 7] }, { channels: { 0: 'private-a' } }])('%j', (extra) => {
    expect(badUser({ id: '1', ...extra })).toThrow(new TypeError("The user's channels must be an array of strings."));
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '1700000000'])('expiresAt %s', (expiresAt) => {
    expect(badUser({ id: '1', expiresAt })).toThrow(new TypeError("The user's expiresAt must be a number of seconds."));
  });
});

describe('toUser accepts', () => {
  it('info nested exactly 64 levels, channels and expiresAt, frozen copies', () => {
    const info = nested(63);
    const channels = ['private-doc-*'];
    const user = toUser({ id: '1', info, channels, expiresAt: 1_700_000_000 });
    expect(user).toStrictEqual({ id: '1', info, channels, expiresAt: 1_700_000_000 });
    expect(Object.isFrozen(user) && Object.isFrozen(user.info) && Object.isFrozen(user.channels)).toBe(true);
    expect(user.channels).not.toBe(channels);
  });

  it('only an id: no channels, no info and no expiresAt keys', () => {
    expect(toUser({ id: 'ada@example.com' })).toStrictEqual({ id: 'ada@example.com', channels: [] });
  });
});
