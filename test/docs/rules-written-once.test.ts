/**
 * A rule stated to users is written once, beside the code that enforces it: messages in src/ and
 * packages/*\/src build their text from the rule's constant (`CHANNEL_NAME_RULE`, `USER_ID_RULE`,
 * `SOCKET_ID_RULE`, a limit's value), so a changed limit cannot leave a message stating the old one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the rules' words are written, once. */
const THE_RULES = new Set(['packages/pusher-core/src/names.ts']);

/** A rule's value written into a message by hand: a literal range, the character set, a rate, an example id. */
const STATED_RULES = [/\b\d+\.\.\d+\b/, /A-Z a-z 0-9/, /\b\d+ client events per second/, /look like \d+\.\d+/, /such as \d+\.\d+/];

function sourceFiles(): string[] {
  const roots = ['src', ...readdirSync(path.join(ROOT, 'packages')).map((name) => `packages/${name}/src`)];
  return roots.flatMap((root) =>
    (readdirSync(path.join(ROOT, root), { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `${root}/${file}`.split(path.sep).join('/')),
  );
}

/** The text of every string literal and template part in a file: what its messages say. */
function literalsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

/** `file: "literal"` for each literal that states a rule by hand. */
function rulesWrittenAgain(files: readonly string[], literals: (file: string) => string[]): string[] {
  return files
    .filter((file) => !THE_RULES.has(file))
    .flatMap((file) => literals(file).filter((text) => STATED_RULES.some((rule) => rule.test(text))).map((text) => `${file}: ${JSON.stringify(text)}`));
}

describe('rules stated in messages', () => {
  it('finds every kind of hand-written rule', () => {
    const planted = ['must be 1..128 characters', 'of A-Z a-z 0-9 _', 'more than 10 client events per second', 'must look like 123.456', 'a socket id such as 1234.5678'];
    expect(rulesWrittenAgain(['x.ts'], () => [...planted, 'at most ${MAX} per second', 'socket_id=1234.5678'])).toEqual(
      planted.map((text) => `x.ts: ${JSON.stringify(text)}`),
    );
  });

  it('are built from the rule constants everywhere in src/ and packages/*/src', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(rulesWrittenAgain(files, literalsOf)).toEqual([]);
  });
});
