import { describe, expect, it } from 'vitest';
import { userFromClaims } from '../../src/auth/user.js';
import { createVerifiedTokens } from '../../src/auth/verified-tokens.js';

const ada = userFromClaims({ id: '1' });
const at = (seconds: number) => seconds * 1000;

describe('verified tokens', () => {
  it('answers a remembered token only within exp and nbf, as jose would', () => {
    const tokens = createVerifiedTokens();
    tokens.remember('t', { user: ada, exp: 200, nbf: 100 });
    expect(tokens.get('t', at(99))).toBeUndefined();
    tokens.remember('t', { user: ada, exp: 200, nbf: 100 });
    expect(tokens.get('t', at(100))).toBe(ada);
    expect(tokens.get('t', at(199.9))).toBe(ada);
    expect(tokens.get('t', at(200))).toBeUndefined();
    expect(tokens.get('t', at(150))).toBeUndefined(); // an expired entry is forgotten
  });

  it('knows only the exact token text', () => {
    const tokens = createVerifiedTokens();
    tokens.remember('abc', { user: ada, exp: 200, nbf: undefined });
    expect(tokens.get('abc ', at(1))).toBeUndefined();
    expect(tokens.get('ab', at(1))).toBeUndefined();
  });

  it('stays within its limit, forgetting the oldest first', () => {
    const tokens = createVerifiedTokens(2);
    tokens.remember('a', { user: ada, exp: 200, nbf: undefined });
    tokens.remember('b', { user: ada, exp: 200, nbf: undefined });
    tokens.remember('c', { user: ada, exp: 200, nbf: undefined });
    expect(tokens.get('a', at(1))).toBeUndefined();
    expect(tokens.get('b', at(1))).toBe(ada);
    expect(tokens.get('c', at(1))).toBe(ada);
  });
});
