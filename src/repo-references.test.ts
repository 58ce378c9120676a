// Issue 7, item 17: comments and docs cite only what a clone of this repository has. Earlier comments pointed at
// design notes outside it (DESIGN.md, API-FACTS, PITFALLS, test-infra.md under a machine-local folder); what they
// cite now lives in docs/, and every docs/*.md a file names must exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src', 'scripts', 'e2e', 'bench', 'docs', 'build'];
const TEXT = /\.(ts|tsx|js|mjs|cjs|sh|md|yml|yaml|json|html|css)$/;
const OUTSIDE = [
  /\/work\//,
  /\.\.\/shared\/(notes|ngrok)/,
  /(^|[^\w/])shared\/(notes|ngrok)\//,
  /\bDESIGN\.md\b/,
  /\btest-infra\.md\b/,
  /\bAPI-FACTS\b/,
  /\bPITFALLS\b/,
];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(full);
    return TEXT.test(e.name) ? [full] : [];
  });
}

const tracked = (): string[] => [
  ...ROOTS.flatMap(files),
  ...readdirSync('.').filter((f) => TEXT.test(f) && f !== 'package-lock.json'),
];

// This file names the patterns it looks for.
const SELF = path.join('src', 'repo-references.test.ts');

describe('references', () => {
  it('no file cites a document outside the repository', () => {
    const hits = tracked()
      .filter((f) => f !== SELF)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            OUTSIDE.some((re) => re.test(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(hits).toEqual([]);
  });

  it('every docs/*.md a file names exists', () => {
    const missing = tracked()
      .filter((f) => f !== SELF)
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/\bdocs\/([\w.-]+\.md)\b/g)]
          .map((m) => `docs/${m[1]}`)
          .filter((doc) => !existsSync(doc))
          .map((doc) => `${f}: ${doc}`),
      );
    expect(missing).toEqual([]);
  });
});
