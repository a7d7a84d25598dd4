/**
 * AUTHZ_CACHE_SECONDS's cache on its own: its size limit, and a user forgotten while two asks about
 * them are out. Found by mutation testing (issue 19).
 */
import { describe, expect, it } from 'vitest';
import { createDecisionCache } from '../src/policy/decision-cache.js';
import type { Decision } from '../src/policy/engine.js';

const allow: Decision = { verdict: 'allow', rule: 'AUTHZ_URL', pattern: 'AUTHZ_URL' };
const clock = () => 0;

describe('the decision cache', () => {
  it('holds at most `limit` answers: the least recently used goes first', () => {
    const cache = createDecisionCache(60, clock, 2);
    for (const channel of ['private-a', 'private-b']) cache.begin('1').remember(channel, allow);
    expect(cache.get('1', 'private-a')).toBe(allow); // a is now the most recently used
    cache.begin('1').remember('private-c', allow);
    expect([cache.get('1', 'private-a'), cache.get('1', 'private-b'), cache.get('1', 'private-c')]).toStrictEqual([allow, undefined, allow]);
  });

  it('an answer asked for before the user was forgotten is not remembered, though another ask about them ended first', () => {
    const cache = createDecisionCache(60, clock);
    const first = cache.begin('1');
    const second = cache.begin('1');
    first.end();
    cache.forgetUser('1');
    second.remember('private-a', allow);
    second.end();
    expect(cache.get('1', 'private-a')).toBeUndefined();
    // A new ask, begun after the forgetting, is remembered.
    const third = cache.begin('1');
    third.remember('private-a', allow);
    third.end();
    expect(cache.get('1', 'private-a')).toBe(allow);
  });
});
