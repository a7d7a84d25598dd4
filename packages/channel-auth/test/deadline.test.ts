/** Which rule answers are promises to wait for: anything else is decided at once. Found by mutation testing (issue 19). */
import { describe, expect, it } from 'vitest';
import { isThenable } from '../src/policy/deadline.js';

describe('isThenable', () => {
  it.each([
    ['a promise', Promise.resolve(true), true],
    ['an object with then()', { then: () => undefined }, true],
    ['null', null, false],
    ['true', true, false],
    ['a reason', 'closed', false],
    ['an object without then', {}, false],
    ['an object whose then is not a function', { then: 'later' }, false],
    ['a function with then()', Object.assign(() => true, { then: () => undefined }), false],
  ])('%s: %s', (_, value, expected) => {
    expect(isThenable(value)).toBe(expected);
  });
});
