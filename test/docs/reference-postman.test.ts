import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RefLinker } from '../../reports/refs.js';

/**
 * Every `Postman ref §N.M` in the bundled profiles, the scenarios and the code resolves to a heading
 * of the shipped docs/reference/postman.md, and the other references it cites resolve in theirs,
 * so that a ref in a profile or a report points at a section a user can read. Its checklist
 * (§9) lists PM-1 to PM-40 once each, and the postman tests have one test per item.
 */

const ROOT = join(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/reference/postman.md');

const SECTION = String.raw`§\d+(?:\.\d+)*`;
// A ref may go on with more sections of the same document: "Postman ref §3, §4.1", "§4–§6".
const LIST = String.raw`${SECTION}(?:\s*(?:,|–|-|and|or)\s*${SECTION})*`;
const REF = new RegExp(String.raw`Postman ref ${LIST}`, 'g');
const OTHERS = new RegExp(String.raw`(Okta|Entra) ref ${LIST}`, 'g');
const RFC = new RegExp(String.raw`RFC \d+ ${LIST}`, 'g');
const NUMBER = /§(\d+(?:\.\d+)*)/g;

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(ext))
    .map((name) => join(ROOT, dir, name));
}

/** Where refs live: profiles and scenarios (YAML), and the TypeScript of every shipped folder. */
function sources(): string[] {
  return [
    ...filesUnder('profiles', '.yaml'),
    ...filesUnder('scenarios', '.yaml'),
    ...['harness', 'scim', 'reference-server', 'reports', 'bench'].flatMap((dir) => filesUnder(dir, '.ts')),
  ];
}

/** The numbers of a Markdown document's headings: `### 4.1 Create user` → 4.1. */
function headingNumbers(markdown: string): string[] {
  return [...markdown.matchAll(/^#{2,6} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1]!);
}

const sectionsOf = (ref: string) => [...ref.matchAll(NUMBER)].map((m) => m[1]!);

describe('docs/reference/postman.md', () => {
  const doc = readFileSync(DOC, 'utf8');
  const headings = headingNumbers(doc);

  it('has each section number once, the top level 0 to 9 in order, as the wire reference it retells', () => {
    expect(headings.filter((n) => !n.includes('.'))).toEqual([...Array(10).keys()].map(String));
    expect(headings.filter((n) => n.includes('.'))).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5']);
  });

  it('has a heading for every Postman ref section the profiles, scenarios and code cite', () => {
    const cited: { section: string; at: string }[] = [];
    for (const file of sources()) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          for (const [ref] of line.matchAll(REF)) for (const section of sectionsOf(ref)) cited.push({ section, at: `${relative(ROOT, file)}:${index + 1}` });
        });
    }
    // profiles/postman.yaml alone cites dozens; a handful would mean the search broke.
    expect(cited.length).toBeGreaterThan(50);
    expect(cited.filter((c) => !headings.includes(c.section)).map((c) => `Postman ref §${c.section} at ${c.at}`)).toEqual([]);
  });

  it('resolves its own section numbers, and its Okta and Entra refs in their references', () => {
    const others = { Okta: headingNumbers(readFileSync(join(ROOT, 'docs/reference/okta.md'), 'utf8')), Entra: headingNumbers(readFileSync(join(ROOT, 'docs/reference/entra.md'), 'utf8')) };
    const missing: string[] = [];
    for (const [ref, idp] of doc.matchAll(OTHERS)) {
      for (const section of sectionsOf(ref)) if (!others[idp as 'Okta' | 'Entra'].includes(section)) missing.push(`${idp} ref §${section}`);
    }
    const own = doc.replace(OTHERS, '').replace(RFC, '');
    for (const section of sectionsOf(own)) if (!headings.includes(section)) missing.push(`§${section}`);
    expect(missing).toEqual([]);
  });

  it('lists the checklist items PM-1 to PM-40 once each, and postman.test.ts has a test titled by each', () => {
    const items = [...doc.matchAll(/^- (PM-\d+): /gm)].map((m) => m[1]);
    const all = [...Array(40).keys()].map((i) => `PM-${i + 1}`);
    expect(items).toEqual(all);
    const tests = readFileSync(join(ROOT, 'test/reference-server/postman.test.ts'), 'utf8');
    const titled = [...tests.matchAll(/^\s*it\('(PM-\d+): /gm)].map((m) => m[1]);
    expect(titled).toEqual(all);
  });

  it('is where a report links "Postman ref §N"', () => {
    const [citation] = new RefLinker('https://example.com/docs/').citations('Postman ref §4.1');
    expect(citation).toEqual({ text: 'Postman ref §4.1', url: 'https://example.com/docs/reference/postman.md#41-create-user', idp: true });
  });
});
