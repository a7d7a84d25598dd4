/**
 * Claim globs and `{param}` patterns against simple reference matchers (memoized recursion, plainly
 * correct, too slow to ship), on ordinary and pathological inputs; and the old lazy regexes on
 * small inputs, so ambiguous names keep the answers they had.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, globMatches } from '../src/policy/pattern.js';
import {
  pathologicalGlob,
  pathologicalName,
  pathologicalPattern,
  smallGlob,
  smallName,
  smallPattern,
} from '../../../test/helpers/arbitraries.js';

const NAME_CHARACTER = /^[A-Za-z0-9_\-=@,.;]$/;

/** The fastest of three runs, in ms: a pause of the shared machine cannot fail a linear matcher. */
function fastestOfThree(run: () => unknown): number {
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

/** Does glob[g..] match name[c..]? A star takes any run of name characters. */
function referenceGlob(glob: string, name: string): boolean {
  const memo = new Map<number, boolean>();
  const from = (g: number, c: number): boolean => {
    const key = g * (name.length + 1) + c;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (g === glob.length) result = c === name.length;
    else if (glob[g] === '*') result = from(g + 1, c) || (c < name.length && NAME_CHARACTER.test(name[c] as string) && from(g, c + 1));
    else result = c < name.length && glob[g] === name[c] && from(g + 1, c + 1);
    memo.set(key, result);
    return result;
  };
  return from(0, 0);
}

type Piece = { literal: string } | { param: string };

function pieces(pattern: string): Piece[] {
  return pattern.split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/).filter(Boolean).map((part) =>
    part.startsWith('{') ? { param: part.slice(1, -1) } : { literal: part },
  );
}

/** Each placeholder tries 1, 2, 3... characters; the first split where the rest matches wins. */
function referencePattern(pattern: string, name: string): Record<string, string> | undefined {
  const parts = pieces(pattern);
  const memo = new Map<string, Array<[string, string]> | null>();
  const from = (p: number, c: number): Array<[string, string]> | null => {
    const key = `${p}:${c}`;
    if (memo.has(key)) return memo.get(key) ?? null;
    let result: Array<[string, string]> | null = null;
    const part = parts[p];
    if (part === undefined) result = c === name.length ? [] : null;
    else if ('literal' in part) result = name.startsWith(part.literal, c) ? from(p + 1, c + part.literal.length) : null;
    else {
      for (let end = c + 1; end <= name.length && NAME_CHARACTER.test(name[end - 1] as string); end++) {
        const rest = from(p + 1, end);
        if (rest) {
          result = [[part.param, name.slice(c, end)], ...rest];
          break;
        }
      }
    }
    memo.set(key, result);
    return result;
  };
  const found = from(0, 0);
  return found ? Object.fromEntries(found) : undefined;
}

/** What the matchers were before: lazy regexes (exponential on pathological inputs; small ones only). */
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CLASS = '[A-Za-z0-9_\\-=@,.;]';
function oldGlob(glob: string, name: string): boolean {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join(`${CLASS}*`)}$`).test(name);
}
function oldPattern(pattern: string, name: string): Record<string, string> | undefined {
  const parts = pieces(pattern);
  const found = new RegExp(`^${parts.map((p) => ('literal' in p ? escapeRegExp(p.literal) : `(${CLASS}+?)`)).join('')}$`).exec(name);
  if (!found) return undefined;
  const names = parts.flatMap((p) => ('param' in p ? [p.param] : []));
  return Object.fromEntries(names.map((n, i) => [n, found[i + 1] as string]));
}

describe('claim globs', () => {
  it('agree with the reference and the old regex on small inputs', () => {
    fc.assert(
      fc.property(smallGlob, smallName, (glob, name) => {
        expect(globMatches(glob, name)).toBe(referenceGlob(glob, name));
        expect(globMatches(glob, name)).toBe(oldGlob(glob, name));
      }),
      { numRuns: 3000 },
    );
  });

  it('agree with the reference on pathological inputs, each within 50 ms (a backtracking matcher took seconds)', () => {
    fc.assert(
      fc.property(pathologicalGlob, pathologicalName, (glob, name) => {
        expect(fastestOfThree(() => globMatches(glob, name))).toBeLessThan(50);
        expect(globMatches(glob, name)).toBe(referenceGlob(glob, name));
      }),
      { numRuns: 1000 },
    );
  });

  it('matches the issue\'s worst cases at once: stars against a long run of dashes', () => {
    const worst = () => [
      globMatches('private--*-*-*-*-*x', `private-${'-'.repeat(156)}`),
      globMatches(`private-${'*-'.repeat(20)}x`, `private-${'-'.repeat(60)}`),
      globMatches(`private-${'*-'.repeat(20)}x`, `private-${'-'.repeat(60)}x`),
    ];
    expect(worst()).toEqual([false, false, true]);
    expect(fastestOfThree(worst)).toBeLessThan(50);
  });

  it('keeps both anchors: a claim of private-doc-1 grants neither private-doc-10 nor xprivate-doc-1', () => {
    expect(globMatches('private-doc-1', 'private-doc-1')).toBe(true);
    expect(globMatches('private-doc-1', 'private-doc-10')).toBe(false);
    expect(globMatches('private-doc-1', 'xprivate-doc-1')).toBe(false);
    expect(globMatches('private-doc-*-a', 'private-doc-1-a-b')).toBe(false);
    expect(globMatches('*-doc-1', 'private-doc-10')).toBe(false);
    expect(globMatches('private-*-1', 'xprivate-doc-1')).toBe(false);
  });

  it('never matches a name with characters outside the channel-name set', () => {
    expect(globMatches('private-*', 'private-a b')).toBe(false);
    expect(globMatches('private-a b', 'private-a b')).toBe(false);
  });
});

describe('{param} patterns', () => {
  it('split names as the old lazy regex did and agree with the reference on small inputs', () => {
    fc.assert(
      fc.property(smallPattern, smallName, (pattern, name) => {
        const answer = compilePattern(pattern).match(name);
        expect(answer).toEqual(referencePattern(pattern, name));
        expect(answer).toEqual(oldPattern(pattern, name));
      }),
      { numRuns: 3000 },
    );
  });

  it('agree with the reference on pathological inputs, each within 50 ms (a backtracking matcher took seconds)', () => {
    fc.assert(
      fc.property(pathologicalPattern, pathologicalName, (pattern, name) => {
        const compiled = compilePattern(pattern);
        expect(fastestOfThree(() => compiled.match(name))).toBeLessThan(50);
        expect(compiled.match(name)).toEqual(referencePattern(pattern, name));
      }),
      { numRuns: 1000 },
    );
  });

  it('take the shortest part that lets the rest match, first to last', () => {
    expect(compilePattern('private-{a}-{b}').match('private-x-y-z')).toEqual({ a: 'x', b: 'y-z' });
    expect(compilePattern('private-{a}-{b}-{c}').match(`private-${'-'.repeat(150)}`)).toEqual({ a: '-', b: '-', c: '-'.repeat(146) });
    expect(compilePattern('private-{a}{b}').match('private-xyz')).toEqual({ a: 'x', b: 'yz' });
    expect(compilePattern('private-{a}-{b}-{c}x').match(`private-${'-'.repeat(150)}`)).toBeUndefined();
  });
});

describe('patterns', () => {
  it('a placeholder stops at the next literal part', () => {
    expect(compilePattern('private-doc-{docId}.{part}').match('private-doc-4.2.x')).toEqual({ docId: '4', part: '2.x' });
    expect(compilePattern('private-user-{userId}').match('private-user-')).toBeUndefined();
  });

  it('a placeholder never takes characters outside the channel-name set', () => {
    expect(compilePattern('private-user-{userId}').match('private-user-a b')).toBeUndefined();
    expect(compilePattern('private-{a}-{b}').match('private-x-y/z')).toBeUndefined();
  });

  it('globs match channel-name characters only, anchored', () => {
    expect(globMatches('private-doc-*', 'private-doc-1')).toBe(true);
    expect(globMatches('private-doc-*', 'xprivate-doc-1')).toBe(false);
    expect(globMatches('private-doc.*', 'private-docX1')).toBe(false);
    // The head and the tail may not overlap: private-x ends with -x, but has no room for both.
    expect(globMatches('private-*-x', 'private-x')).toBe(false);
    expect(globMatches('private-*-x', 'private--x')).toBe(true);
  });
});
