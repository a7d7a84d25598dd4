/** The root README's "Three ways in" examples are the packages' own, which test/packages/packed.test.ts runs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlockAfter } from '../helpers/packages.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const readme = path.join(ROOT, 'README.md');

describe('the root README', () => {
  it.each([
    ['`server.mjs`', 'packages/channel-auth/README.md'],
    ['`pusher.test.mjs`', 'packages/embedded/README.md'],
  ])('shows %s exactly as %s has it', (marker, packageReadme) => {
    expect(codeBlockAfter(readme, marker)).toBe(codeBlockAfter(path.join(ROOT, packageReadme), marker));
  });

  it('links both packages', () => {
    const text = readFileSync(readme, 'utf8');
    expect(text).toContain('(packages/channel-auth/README.md)');
    expect(text).toContain('(packages/embedded/README.md)');
  });
});
