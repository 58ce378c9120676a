// Issue 7, item 17: the seam (dispatcher, event hub, contract) exports nothing that no code uses. An export is live
// when a non-test file imports it by name or its own module uses it; an EventHub member is live when non-test code
// calls it on a hub. Tests do not count: an export only a test reaches is dead weight the seam has to keep honest.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');
const SEAM = ['src/core/rpc/dispatch.ts', 'src/core/rpc/event-hub.ts', 'src/shared/contract.ts'].map((f) =>
  path.resolve(f),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')
      ? [full]
      : [];
  });
}

const parse = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

const exported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Exported top-level names with their declaration name nodes. */
function exportsOf(sf: ts.SourceFile): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    if (!exported(st)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name)) out.set(d.name.text, d.name);
    } else if (
      (ts.isFunctionDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isEnumDeclaration(st)) &&
      st.name
    ) {
      out.set(st.name.text, st.name);
    }
  }
  return out;
}

/** Names each file imports from each seam module (resolved relative specifiers). */
function importedNames(files: string[]): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>(SEAM.map((m) => [m, new Set<string>()]));
  for (const file of files) {
    for (const st of parse(file).statements) {
      if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier) continue;
      const spec = (st.moduleSpecifier as ts.StringLiteral).text;
      if (!spec.startsWith('.')) continue;
      const target = `${path.resolve(path.dirname(file), spec).replace(/\.js$/, '')}.ts`;
      const names = used.get(target);
      if (!names) continue;
      const bindings = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : st.exportClause;
      if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings)))
        for (const el of bindings.elements) names.add((el.propertyName ?? el.name).text);
    }
  }
  return used;
}

function usedInOwnFile(sf: ts.SourceFile, name: string, declaration: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name && n !== declaration) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function deadExports(): string[] {
  const files = sourceFiles(SRC);
  const imported = importedNames(files);
  const dead: string[] = [];
  for (const module of SEAM) {
    const sf = parse(module);
    for (const [name, decl] of exportsOf(sf)) {
      if (!imported.get(module)!.has(name) && !usedInOwnFile(sf, name, decl))
        dead.push(`${path.relative(process.cwd(), module)}: ${name}`);
    }
  }
  // EventHub members: called on a hub (`hub.emit`, `core.hub.subscribe`) somewhere outside the hub itself.
  const hub = parse(path.resolve('src/core/rpc/event-hub.ts'));
  const cls = hub.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'EventHub',
  );
  const calls = new Set(
    files
      .filter((f) => !SEAM.includes(f))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bhub\??\.(\w+)/g)].map((m) => m[1])),
  );
  for (const member of cls?.members ?? []) {
    const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
    const isPrivate = modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
    if (isPrivate || ts.isConstructorDeclaration(member) || !member.name || !ts.isIdentifier(member.name))
      continue;
    if (!calls.has(member.name.text)) dead.push(`src/core/rpc/event-hub.ts: EventHub.${member.name.text}`);
  }
  return dead;
}

describe('the seam has no dead exports', () => {
  it('every export of the dispatcher, event hub and contract is used by non-test code', () => {
    expect(deadExports()).toEqual([]);
  });
});
