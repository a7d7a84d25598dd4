/**
 * No leftovers: every name exported from src/ and packages/*\/src is imported somewhere (tests,
 * bench and scripts count), is a package's public API (what its entry points re-export), or is a
 * type in the signature of another export of its file (a function's options).
 * And conformance/ checks a server without sharing its code: it imports only its own files,
 * Node and the public clients.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = readdirSync(path.join(ROOT, 'packages'));
const SCANNED = ['src', 'test', 'bench', 'scripts', 'conformance', ...PACKAGES.flatMap((p) => [`packages/${p}/src`, `packages/${p}/test`])];
/** A package's public entry points: their exports are API, whoever imports them. */
const ENTRY = /^packages\/[^/]+\/src\/(?:index|[^/]+\/index)\.ts$/;
const EXPORTING = /^(?:src|packages\/[^/]+\/src)\//;

function tsFiles(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) return [];
  return (readdirSync(absolute, { recursive: true }) as string[])
    .filter((file) => /\.(?:ts|mts)$/.test(file) && !file.split(path.sep).includes('node_modules'))
    .map((file) => `${dir}/${file.split(path.sep).join('/')}`);
}

/** The repository file a module specifier names, or `undefined` for a dependency or Node. */
function resolve(from: string, specifier: string): string | undefined {
  const scoped = /^@pusher-auth-server\/([^/]+)(?:\/(.+))?$/.exec(specifier);
  if (scoped) return `packages/${scoped[1]}/src/${scoped[2] ? `${scoped[2]}/` : ''}index.ts`;
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}/index.ts`].find((file) => statSync(path.join(ROOT, file), { throwIfNoEntry: false }));
}

interface ModuleFacts {
  readonly exported: string[];
  /** Exported types that another export of the file names (a parameter's type): part of its signature. */
  readonly signatureTypes: Set<string>;
  /** Per file imported from: the names taken, or '*' for all of them. */
  readonly imports: Array<{ file: string; names: string[] | '*' }>;
  readonly specifiers: string[];
}

const hasExport = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function factsOf(file: string): ModuleFacts {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const facts: ModuleFacts = { exported: [], signatureTypes: new Set(), imports: [], specifiers: [] };
  const types = new Map<string, ts.Node>();
  const exportedStatements: ts.Node[] = [];
  const from = (specifier: ts.Expression | undefined) => {
    if (!specifier || !ts.isStringLiteral(specifier)) return undefined;
    facts.specifiers.push(specifier.text);
    return resolve(file, specifier.text);
  };
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const target = from(node.moduleSpecifier);
      const clause = node.importClause;
      if (!target || !clause) continue;
      const names: string[] = clause.name ? ['default'] : [];
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) facts.imports.push({ file: target, names: '*' });
      if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
      facts.imports.push({ file: target, names });
    } else if (ts.isExportDeclaration(node)) {
      const target = from(node.moduleSpecifier);
      const clause = node.exportClause;
      if (clause && ts.isNamedExports(clause)) {
        facts.exported.push(...clause.elements.map((e) => e.name.text));
        if (target) facts.imports.push({ file: target, names: clause.elements.map((e) => (e.propertyName ?? e.name).text) });
      } else if (target) facts.imports.push({ file: target, names: '*' });
    } else if (hasExport(node)) {
      exportedStatements.push(node);
      if (ts.isVariableStatement(node)) facts.exported.push(...node.declarationList.declarations.map((d) => d.name.getText(source)));
      else if ('name' in node && node.name && ts.isIdentifier(node.name as ts.Node)) facts.exported.push((node.name as ts.Identifier).text);
      if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && hasExport(node)) types.set(node.name.text, node);
    }
  }
  for (const statement of exportedStatements) {
    const visit = (node: ts.Node): void => {
      if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && types.has(node.typeName.text) && types.get(node.typeName.text) !== statement) {
        facts.signatureTypes.add(node.typeName.text);
      }
      if (!ts.isBlock(node)) ts.forEachChild(node, visit); // a function's body is not its signature
    };
    visit(statement);
  }
  return facts;
}

describe('exports', () => {
  const files = SCANNED.flatMap(tsFiles);
  const facts = new Map(files.map((file) => [file, factsOf(file)]));

  it('are each imported somewhere, or public API of a package', () => {
    const used = new Map<string, Set<string> | '*'>();
    for (const { imports } of facts.values()) {
      for (const { file, names } of imports) {
        const seen = used.get(file);
        if (seen === '*') continue;
        if (names === '*') used.set(file, '*');
        else used.set(file, new Set([...(seen ?? []), ...names]));
      }
    }
    const unused = files
      .filter((file) => EXPORTING.test(file) && !ENTRY.test(file))
      .flatMap((file) => {
        const seen = used.get(file);
        if (seen === '*') return [];
        const { exported = [], signatureTypes = new Set() } = facts.get(file) ?? {};
        return exported.filter((name) => !seen?.has(name) && !signatureTypes.has(name)).map((name) => `${file}: ${name}`);
      });
    expect(files.length).toBeGreaterThan(200);
    expect(unused).toEqual([]);
  });

  it('conformance/ imports only its own files, Node and the public Pusher clients', () => {
    const allowed = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('node:') || ['pusher', 'pusher-js', 'ws'].includes(specifier);
    const outside = [...facts.entries()]
      .filter(([file]) => file.startsWith('conformance/'))
      .flatMap(([file, { specifiers }]) =>
        specifiers.filter((s) => !allowed(s) || (s.startsWith('.') && !path.posix.join(path.posix.dirname(file), s).startsWith('conformance/'))).map((s) => `${file}: ${s}`),
      );
    expect(outside).toEqual([]);
  });
});
