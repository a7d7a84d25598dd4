/**
 * Links stay valid: every relative link in README.md and docs/*.md names a file that exists and,
 * for a Markdown file, a heading it has; every `docs/<file>.md#<anchor>` that code and tests cite
 * in src/, test/, bench/, conformance/ and packages/ names a heading of that file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const markdownFiles = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const outsideFences = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading = ''] of outsideFences.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function brokenTarget(fromFile: string, link: string): string | undefined {
  const [target = '', anchor] = link.split('#');
  const file = target === '' ? fromFile : path.normalize(path.join(path.dirname(fromFile), target));
  if (!existsSync(path.join(ROOT, file))) return `${fromFile}: ${link} (no such file)`;
  if (anchor === undefined || !file.endsWith('.md')) return undefined;
  return anchorsOf(read(file)).has(anchor) ? undefined : `${fromFile}: ${link} (no such heading)`;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(path.join(ROOT, dir))) return [];
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|js|mjs)$/.test(name) ? [rel] : [];
  });
}

describe('documentation links', () => {
  it('every relative link in README.md and docs/ reaches an existing file and heading', () => {
    const broken = markdownFiles.flatMap((file) =>
      [...read(file).matchAll(/\]\(([^)\s]+)\)/g)]
        .map(([, link = '']) => link)
        .filter((link) => !/^[a-z]+:/.test(link))
        .map((link) => brokenTarget(file, link))
        .filter((problem) => problem !== undefined),
    );
    expect(broken).toEqual([]);
  });

  it('every docs/<file>.md#<anchor> cited in code names a heading of that file', () => {
    const cited = ['src', 'test', 'bench', 'conformance', 'packages'].flatMap(sourceFiles).flatMap((file) =>
      [...read(file).matchAll(/docs\/([a-z-]+\.md)#([a-z0-9_-]+)/g)].map(([, doc = '', anchor = '']) => ({ file, doc, anchor })),
    );
    const broken = cited
      .filter(({ doc, anchor }) => !existsSync(path.join(ROOT, 'docs', doc)) || !anchorsOf(read(`docs/${doc}`)).has(anchor))
      .map(({ file, doc, anchor }) => `${file}: docs/${doc}#${anchor}`);
    expect(broken).toEqual([]);
  });
});
