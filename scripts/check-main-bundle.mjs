// Checks that the shipped app's main-process bundle does not load sandbox code at start: walks the static
// imports (import/export-from/require) of out/main from its entry and looks in every file reached for string
// literals that only src/sandbox and src/demo contain. A chunk reached through import() only (the built-in
// demo) is fine: it is loaded when the demo is first used.
//
//   node scripts/check-main-bundle.mjs [outDir] [entry]     (defaults: out/main, index.js)
// Exit 0 when clean, 1 when sandbox code is statically reachable (each file and a literal found are listed),
// 2 when the build is missing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FENCED = ['src/sandbox', 'src/demo'];
const OTHER_LAYERS = [
  'src/core',
  'src/main',
  'src/preload',
  'src/shared',
  'src/cli',
  'src/harness',
  'src/renderer',
];
const MIN_LITERAL = 12;

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(e.name) &&
      !/\.(test|spec)\.tsx?$/.test(e.name) &&
      !/test-helpers|test-servers/.test(e.name)
      ? [full]
      : [];
  });
}

function literals(file) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = [];
  const visit = (n) => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
    else if (ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) out.push(n.text);
    if (!ts.isImportDeclaration(n) && !ts.isExportDeclaration(n)) ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** String literals of the sandbox and the demo that no other layer's source contains. */
export function sandboxFingerprints(root = ROOT) {
  const others = OTHER_LAYERS.flatMap((d) => sourceFiles(path.join(root, d)))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const found = new Set();
  for (const dir of FENCED)
    for (const file of sourceFiles(path.join(root, dir)))
      for (const text of literals(file))
        if (text.trim().length >= MIN_LITERAL && !others.includes(text)) found.add(text);
  return found;
}

/** The files reached from entry through static imports only (import/export-from/require; not import()). */
export function staticGraph(entry) {
  const seen = new Set();
  const queue = [path.resolve(entry)];
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const sf = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.JS,
    );
    const specs = [];
    const visit = (n) => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier)
        specs.push(n.moduleSpecifier.text);
      else if (
        ts.isCallExpression(n) &&
        ts.isIdentifier(n.expression) &&
        n.expression.text === 'require' &&
        n.arguments.length === 1 &&
        ts.isStringLiteralLike(n.arguments[0])
      )
        specs.push(n.arguments[0].text);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    for (const spec of specs) if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
  }
  return [...seen];
}

export function checkBundle({ outDir, entry = 'index.js', root = ROOT }) {
  const fingerprints = [...sandboxFingerprints(root)];
  const files = staticGraph(path.join(outDir, entry));
  const offenders = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const hit = fingerprints.find((f) => text.includes(f) || text.includes(JSON.stringify(f).slice(1, -1)));
    if (hit !== undefined) offenders.push({ file: path.relative(root, file), literal: hit });
  }
  return { files: files.map((f) => path.relative(root, f)), fingerprints: fingerprints.length, offenders };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'out/main'));
  const entry = process.argv[3] ?? 'index.js';
  if (!existsSync(path.join(outDir, entry))) {
    console.error(`check-main-bundle: no ${path.join(outDir, entry)}; run "npm run build" first.`);
    process.exit(2);
  }
  const { files, fingerprints, offenders } = checkBundle({ outDir, entry });
  if (offenders.length) {
    console.error('check-main-bundle: sandbox code is in the static graph of the shipped main process:');
    for (const o of offenders) console.error(`  ${o.file}: contains ${JSON.stringify(o.literal)}`);
    console.error('Load it with import() from outside core (see src/demo/start-demo.ts).');
    process.exit(1);
  }
  console.log(
    `check-main-bundle: ${files.length} file(s) statically reachable from ${path.relative(ROOT, path.join(outDir, entry))}, no sandbox code (${fingerprints} sandbox-only literals checked).`,
  );
}
