/** The depth check on client JSON at its edges: null, scalars and nulls inside containers. */
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, isJsonObject } from '../src/json.js';

describe('exceedsJsonDepth at its edges', () => {
  it('counts null like any scalar: depth 0, wherever it stands', () => {
    expect(exceedsJsonDepth(null, 0)).toBe(false);
    expect(exceedsJsonDepth({ a: null, b: [null] }, 2)).toBe(false);
    expect(exceedsJsonDepth({ a: null, b: [null, []] }, 2)).toBe(true);
  });

  it('treats an empty object like an empty array: one level', () => {
    expect(exceedsJsonDepth({}, 0)).toBe(true);
    expect(exceedsJsonDepth({}, 1)).toBe(false);
  });
});

describe('isJsonObject', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ['{}', false],
    [1, false],
    [undefined, false],
  ])('%j is an object: %s', (value, expected) => {
    expect(isJsonObject(value)).toBe(expected);
  });
});
