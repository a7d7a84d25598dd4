/**
 * A roster's `dataJson()`, built from parts encoded once per member, always reads back as
 * `{ presence: snapshot() }`, through any sequence of joins and leaves (ids that are numbers,
 * `__proto__`, quotes or non-ASCII; info absent, null or nested).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../src/protocol/codec.js';
import { PresenceRoster } from '../src/state/presence.js';

const userId = fc.oneof(fc.constantFrom('1', '10', '2', '__proto__', 'constructor', 'a"b', 'ü-é', '\u2028'), fc.string({ minLength: 1, maxLength: 6 }));
const userInfo = fc.option(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>, { nil: undefined });
const step = fc.oneof(
  fc.record({ kind: fc.constant('join' as const), socket: fc.integer({ min: 0, max: 12 }), userId, userInfo }),
  fc.record({ kind: fc.constant('leave' as const), socket: fc.integer({ min: 0, max: 12 }) }),
);

describe('PresenceRoster.dataJson', () => {
  it('reads back as the snapshot after every join and leave', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const roster = new PresenceRoster();
        for (const s of steps) {
          if (s.kind === 'join') roster.add(`socket.${s.socket}`, s.userInfo === undefined ? { userId: s.userId } : { userId: s.userId, userInfo: s.userInfo });
          else roster.remove(`socket.${s.socket}`);
          expect(JSON.parse(roster.dataJson())).toEqual(JSON.parse(JSON.stringify({ presence: roster.snapshot() })));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists members in the order they joined, the first socket’s info winning', () => {
    const roster = new PresenceRoster();
    roster.add('s.1', { userId: '7', userInfo: { name: 'Ada' } });
    roster.add('s.2', { userId: '3' });
    roster.add('s.3', { userId: '7', userInfo: { name: 'ignored' } });
    expect(roster.dataJson()).toBe('{"presence":{"ids":["7","3"],"hash":{"7":{"name":"Ada"},"3":null},"count":2}}');
    roster.remove('s.1');
    expect(roster.dataJson()).toBe('{"presence":{"ids":["7","3"],"hash":{"7":{"name":"Ada"},"3":null},"count":2}}');
    roster.remove('s.3');
    expect(roster.dataJson()).toBe('{"presence":{"ids":["3"],"hash":{"3":null},"count":1}}');
  });
});
