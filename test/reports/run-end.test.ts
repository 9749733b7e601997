import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { mergeResults } from '../../harness/runner/merge.js';
import type { RunResult } from '../../harness/result.js';
import { renderConsoleSummary } from '../../reports/console.js';
import { renderHtml } from '../../reports/html.js';
import { renderJson } from '../../reports/json.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { HOSTILE, sampleResult } from './sample-result.js';

const URL_LEFT = 'http://127.0.0.1:9999/scim/v2/Users/u1';
const INTERRUPTED = /Interrupted by SIGTERM at 2026-01-05T10:00:00\.000Z: \d+ scenarios ran, 2 never started; these results are partial\./;
const LEFT = '1 resource the cleanup could not delete is left on the target: delete them by hand.';

/** The sample run, stopped by SIGTERM with two scenarios never started, and one user its cleanup could not delete. */
function stopped(): RunResult {
  return {
    ...sampleResult(),
    interrupted: { signal: 'SIGTERM', at: '2026-01-05T10:00:00.000Z', notRun: ['rfc7644.users.get-by-id', 'okta.oin.never'] },
    leftBehind: [{ scenario: 'rfc7644.users.create-201', url: URL_LEFT, reason: `DELETE answered 403: ${HOSTILE}` }],
  };
}

describe('an interrupted run and what it left behind, in every report', () => {
  it('console: beside the closing line, which stays last', () => {
    const text = renderConsoleSummary(stopped(), { color: false });
    expect(text).toMatch(INTERRUPTED);
    expect(text).toContain(`${LEFT}\n  ${URL_LEFT} (rfc7644.users.create-201): DELETE answered 403: `);
    expect(text).not.toContain('\u001b[31m');
    expect(text.split('\n').at(-1)).toMatch(/^\d+ passed, \d+ failed/);
  });

  it('JSON: as fields of the result', () => {
    const json = JSON.parse(renderJson(stopped()));
    expect(json.interrupted.notRun).toEqual(['rfc7644.users.get-by-id', 'okta.oin.never']);
    expect(json.leftBehind[0].url).toBe(URL_LEFT);
  });

  it('HTML: notes in the header, the title, and a section listing each resource, escaped', () => {
    const html = renderHtml(stopped());
    expect(html).toMatch(/<title>scimulator \(interrupted\): /);
    expect(html).toMatch(new RegExp(`<p class="notice" role="note">⚠ ${INTERRUPTED.source}</p>`));
    expect(html).toContain(`<p class="notice" role="note">⚠ ${LEFT}</p>`);
    expect(html).toContain(`<section id="left-behind"><h2>Left on the target</h2><ul><li><code class="line">${URL_LEFT}</code>`);
    expect(html).toContain('href="#scenario-rfc7644.users.create-201"');
    expect(html).toContain('rfc7644.users.create-201</a>)</span>: DELETE answered 403: &#60;/script&#62;&#60;script&#62;window.__pwned');
    expect(html).not.toContain('<script>window.__pwned');
  });

  it('JUnit: an error case for the interruption, a skipped case for what was left, both counted', () => {
    const xml = renderJunit(stopped());
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', htmlEntities: true }).parse(xml);
    const suites = [doc.testsuites.testsuite].flat() as Record<string, unknown>[];
    const run = suites.find((s) => s['@_name'] === 'scimulator.run')!;
    expect(run).toMatchObject({ '@_tests': '2', '@_errors': '1', '@_skipped': '1' });
    const [interrupted, left] = [run.testcase].flat() as Record<string, Record<string, string>>[];
    expect(interrupted!.error!['@_message']).toMatch(INTERRUPTED);
    expect(interrupted!.error!['#text']).toBe('never started:\nrfc7644.users.get-by-id\nokta.oin.never');
    expect(left!.skipped!['@_message']).toBe(LEFT);
    expect(left!['system-out']).toContain(`${URL_LEFT} (rfc7644.users.create-201): DELETE answered 403:`);
    const whole = renderJunit(sampleResult());
    const count = (text: string, name: string) => Number(new RegExp(`<testsuites [^>]*${name}="(\\d+)"`).exec(text)![1]);
    expect(count(xml, 'tests')).toBe(count(whole, 'tests') + 2);
    expect(count(xml, 'errors')).toBe(count(whole, 'errors') + 1);
  });

  it('Markdown: in the heading, as notes under it, and each resource listed', () => {
    const md = renderMarkdown(stopped());
    expect(md).toMatch(/^## ❌ scimulator \(interrupted\): /);
    expect(md).toMatch(new RegExp(`^> ⚠️ ${INTERRUPTED.source}$`, 'm'));
    expect(md).toContain(`> ⚠️ ${LEFT}`);
    expect(md).toContain(`- \`${URL_LEFT}\` (rfc7644.users.create-201): DELETE answered 403: &lt;/script\\>&lt;script\\>window.\\_\\_pwned`);
  });

  it('a run that ended whole and clean says neither', () => {
    const whole = sampleResult();
    for (const text of [renderConsoleSummary(whole, { color: false }), renderHtml(whole), renderJunit(whole), renderMarkdown(whole)]) {
      expect(text).not.toMatch(/interrupted|left on the target|scimulator\.run/i);
    }
  });

  it('merged shards keep every interruption and everything left behind', () => {
    const [a, b] = [stopped(), stopped()];
    b.scenarios = [];
    b.interrupted = { signal: 'SIGINT', at: '2026-01-05T10:00:01.000Z', notRun: ['rfc7644.users.delete'] };
    const merged = mergeResults([
      { file: 'a.json', result: a },
      { file: 'b.json', result: b },
    ]);
    expect(merged.interrupted).toEqual({ signal: 'SIGTERM', at: '2026-01-05T10:00:00.000Z', notRun: ['rfc7644.users.get-by-id', 'okta.oin.never', 'rfc7644.users.delete'] });
    expect(merged.leftBehind).toHaveLength(2);
    const clean = mergeResults([{ file: 'whole.json', result: sampleResult() }]);
    expect(JSON.parse(renderJson(clean))).not.toHaveProperty('interrupted');
    expect(JSON.parse(renderJson(clean))).not.toHaveProperty('leftBehind');
  });
});
