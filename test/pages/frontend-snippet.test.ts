/** The documented frontend snippet is the demo page's own code, and the README's screenshot exists. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

/** The lines of public/app.js between its README markers. */
function pageBlock(): string {
  const lines = read('public/app.js').split('\n');
  const start = lines.findIndex((line) => line.startsWith('// --- Use it from your frontend'));
  const end = lines.findIndex((line) => line.startsWith('// --- end of the README block'));
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end).join('\n');
}

/** The first ```js fence after the section heading of docs/frontend.md. */
function documentedBlock(): string {
  const readme = read('docs/frontend.md');
  const section = readme.indexOf('\n## Use it from your frontend\n');
  expect(section).toBeGreaterThanOrEqual(0);
  const fence = /```js\n([\s\S]*?)\n```/.exec(readme.slice(section));
  expect(fence).not.toBeNull();
  return fence?.[1] ?? '';
}

describe('README and the demo page', () => {
  it('docs/frontend.md quotes the page code verbatim under "Use it from your frontend"', () => {
    expect(documentedBlock()).toBe(pageBlock());
  });

  it('shows the screenshot that npm run screenshot writes', () => {
    expect(read('README.md')).toContain('](docs/screenshot.png)');
    expect(existsSync(path.join(PROJECT_ROOT, 'docs/screenshot.png'))).toBe(true);
  });
});
