import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, MAX_JSON_DEPTH, parseJsonObject } from '../src/json.js';

const nestedArrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('parseJsonObject', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['{}', {}],
  ])('reads the object %s', (text, expected) => {
    expect(parseJsonObject(text)).toEqual(expected);
  });

  it.each(['', 'nope', '[]', '[{"a":1}]', 'null', '"text"', '42', 'true', '{"a":'])('refuses %j', (text) => {
    expect(parseJsonObject(text)).toBeUndefined();
  });
});

describe('exceedsJsonDepth', () => {
  it('counts a scalar as depth 0 and each array or object as one level', () => {
    expect(exceedsJsonDepth('text', 0)).toBe(false);
    expect(exceedsJsonDepth([], 0)).toBe(true);
    expect(exceedsJsonDepth([], 1)).toBe(false);
    expect(exceedsJsonDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it('allows exactly the maximum and refuses one more, for arrays and objects alike', () => {
    expect(exceedsJsonDepth(nestedArrays(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nestedArrays(MAX_JSON_DEPTH + 1))).toBe(true);
    const deepObject = JSON.parse('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1));
    expect(exceedsJsonDepth(deepObject)).toBe(true);
  });

  it('finds a deep branch beside shallow ones', () => {
    expect(exceedsJsonDepth({ shallow: 1, list: [1, 2, { deep: nestedArrays(MAX_JSON_DEPTH) }] })).toBe(true);
  });

  it('walks values far deeper than the stack allows without overflowing', () => {
    expect(exceedsJsonDepth(nestedArrays(200_000))).toBe(true);
  });
});
