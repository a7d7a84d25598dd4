/** The demo's stand-in for an app's data: membership, and a bound on what it holds. */
import { describe, expect, it } from 'vitest';
import { createRooms, MAX_MEMBERSHIPS } from '../../src/demo/rooms.js';

describe('demo rooms', () => {
  it('answers membership from its data, and follows removals and additions', () => {
    const rooms = createRooms({ '1': ['1', '2'] });
    expect([rooms.isMember('1', '1'), rooms.isMember('1', '2'), rooms.isMember('1', '3'), rooms.isMember('2', '1')]).toEqual([true, true, false, false]);
    rooms.remove('1', '1');
    rooms.remove('9', '9'); // nothing to remove: no effect
    expect(rooms.isMember('1', '1')).toBe(false);
    expect(rooms.add('2', '1')).toBe(true);
    expect(rooms.isMember('2', '1')).toBe(true);
  });

  it(`holds at most ${MAX_MEMBERSHIPS} memberships, and frees room on removal`, () => {
    const rooms = createRooms({ '1': ['1', '2'] });
    for (let i = 2; i < MAX_MEMBERSHIPS; i += 1) expect(rooms.add('r', String(i))).toBe(true);
    expect(rooms.add('r', 'one-too-many')).toBe(false);
    expect(rooms.add('1', '1')).toBe(true); // already a member: nothing added
    rooms.remove('1', '1');
    expect(rooms.add('r', 'one-too-many')).toBe(true);
  });
});
