import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every `Okta ref §N.M` in the bundled scenarios and in the code resolves to a heading of the
 * shipped reference, docs/reference/okta.md, so that a ref in a report points at a real section.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = join(ROOT, 'docs/reference/okta.md');

/** Where refs live: scenario YAML and the TypeScript of every shipped folder (tests are left out, they hold bad refs on purpose). */
const SOURCES: { dir: string; ext: string }[] = [
  { dir: 'scenarios', ext: '.yaml' },
  ...['harness', 'scim', 'reference-server', 'reports', 'bench'].map((dir) => ({ dir, ext: '.ts' })),
];

const SECTION = '§\\d+(?:\\.\\d+)*';
// A ref may go on with more sections of the same document ("Okta ref §6, §13.16", "§4–§8") and
// may name a step after a section ("§4.1 2b"); each of them has to resolve.
const STEP = '(?:\\s+\\d+[a-z]\\b)?';
const REF = new RegExp(`Okta ref ${SECTION}${STEP}(?:\\s*(?:,|–|-|and|or)\\s*${SECTION}${STEP})*`, 'g');
const NUMBER = /§(\d+(?:\.\d+)*)/g;

interface Citation {
  section: string;
  at: string;
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(ext))
    .map((name) => join(ROOT, dir, name));
}

function citations(): Citation[] {
  const found: Citation[] = [];
  for (const { dir, ext } of SOURCES) {
    for (const file of filesUnder(dir, ext)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          for (const ref of line.matchAll(REF)) {
            for (const [, section] of ref[0].matchAll(NUMBER)) {
              found.push({ section: section!, at: `${relative(ROOT, file)}:${index + 1}` });
            }
          }
        });
    }
  }
  return found;
}

/** The numbers of the doc's headings: `## 6. Deactivate user` → 6, `### 6.1 OIN integration` → 6.1. */
function headingNumbers(markdown: string): string[] {
  return [...markdown.matchAll(/^#{2,6} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1]!);
}

describe('docs/reference/okta.md', () => {
  const doc = readFileSync(DOC, 'utf8');
  const headings = headingNumbers(doc);

  it('has each section number once, the top level 0 to 15 in order', () => {
    expect(headings.filter((n) => !n.includes('.'))).toEqual([...Array(16).keys()].map(String));
    expect(headings.filter((n, i) => headings.indexOf(n) !== i)).toEqual([]);
  });

  it('has a heading for every Okta ref section the scenarios and the code cite', () => {
    const cited = citations();
    // Hundreds of refs exist; a handful would mean the search itself broke.
    expect(cited.length).toBeGreaterThan(300);
    const missing = cited.filter((c) => !headings.includes(c.section)).map((c) => `Okta ref §${c.section} at ${c.at}`);
    expect(missing).toEqual([]);
  });

  it('resolves its own cross-references', () => {
    const inner = [...doc.matchAll(NUMBER)].map((m) => m[1]!).filter((n) => !headings.includes(n));
    expect(inner).toEqual([]);
  });

  it('is in a folder the npm package ships', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('docs');
  });
});
