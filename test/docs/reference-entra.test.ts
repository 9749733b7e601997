import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every `Entra ref §N.M` that a bundled scenario or the harness cites resolves to a heading of the
 * shipped docs/reference/entra.md: the refs a report shows must point somewhere a user can read.
 * When refs are renamed, PREFIX changes and this test keeps checking them.
 */

const ROOT = join(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/reference/entra.md');
const PREFIX = 'Entra ref';

const SECTION = String.raw`§\d+(?:\.\d+)?`;
// A ref may go on with more sections of the same document: "Entra ref §3, §5.6", "§5.2–§5.3".
const REF = new RegExp(String.raw`${PREFIX} ${SECTION}(?:\s*(?:,|–|-|and)\s*${SECTION})*`, 'g');

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(ROOT, dir, name));
}

/** Cited section number → the first file that cites it, for the failure message. */
function citedSections(): Map<string, string> {
  const cited = new Map<string, string>();
  for (const file of [...filesUnder('scenarios', '.yaml'), ...filesUnder('harness', '.ts')]) {
    for (const ref of readFileSync(file, 'utf8').match(REF) ?? []) {
      for (const section of ref.match(/§[\d.]+/g)!) {
        const number = section.slice(1).replace(/\.$/, '');
        if (!cited.has(number)) cited.set(number, relative(ROOT, file));
      }
    }
  }
  return cited;
}

/** The section numbers that start a heading: `## 5. Job…` is 5, `### 6.1 Match…` is 6.1. */
function headingNumbers(markdown: string): string[] {
  return [...markdown.matchAll(/^#{2,6} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]!);
}

describe('docs/reference/entra.md', () => {
  const headings = headingNumbers(readFileSync(DOC, 'utf8'));

  it('has a heading for every section that scenarios and the harness cite', () => {
    const cited = citedSections();
    expect(cited.size).toBeGreaterThan(0);
    const missing = [...cited].filter(([number]) => !headings.includes(number)).map(([number, file]) => `§${number} (cited in ${file})`);
    expect(missing).toEqual([]);
  });

  it('numbers each section once', () => {
    expect(headings.filter((number, i) => headings.indexOf(number) !== i)).toEqual([]);
  });
});
