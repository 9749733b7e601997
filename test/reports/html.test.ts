import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { offset } from '../../reports/html/idp.js';
import { LONG_DETAIL, sampleResult } from './sample-result.js';

const html = renderHtml(sampleResult());
const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const decode = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The page with element contents and attribute values blanked: only markup the renderer wrote remains. */
const markupOnly = html.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '').replace(/"[^"]*"/g, '""').replace(/>[^<]*</g, '><');

describe('renderHtml', () => {
  it('is one self-contained file: inline style and script only, nothing fetched', () => {
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<style\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/\bsrc\s*=\s*"/i);
    // The only links out are the refs, followed when clicked, never loaded with the page.
    expect(html.replace(/<a class="cite" href="[^"]*"/g, '')).not.toMatch(/\bhref\s*=\s*"(?!#)/i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
  });

  it('links each ref: RFC sections to rfc-editor.org, IdP sections to the shipped reference in the installed package', () => {
    const docs = pathToFileURL(join(import.meta.dirname, '../../docs/')).href;
    expect(html).toContain('<a class="cite" href="https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2" target="_blank" rel="noopener noreferrer">RFC 7644 §3.4.2.2</a>');
    expect(html).toContain(`<a class="cite" href="${docs}reference/okta.md#61-oin-integration" target="_blank" rel="noopener noreferrer">Okta ref §6.1</a>`);
    expect(html).toContain(`href="${docs}reference/entra.md#64-`);
    // In the scenario's particulars and on the check that cites it.
    expect(html.split('>Okta ref §6.1</a>').length - 1).toBe(3);
  });

  it('links IdP refs under --docs-url when given, and every section of a ref that cites several', () => {
    const result = sampleResult();
    result.scenarios[0]!.refs = ['Entra ref §3, §5.6 and RFC 7643 §4.1', 'a note, §9'];
    const page = renderHtml(result, { docsUrl: 'https://example.com/scimulator/docs/' });
    expect(page).toContain('<a class="cite" href="https://example.com/scimulator/docs/reference/entra.md#3-');
    expect(page).toContain('>Entra ref §3</a>, <a class="cite" href="https://example.com/scimulator/docs/reference/entra.md#56-');
    expect(page).toContain('>§5.6</a> and <a class="cite" href="https://www.rfc-editor.org/rfc/rfc7643#section-4.1"');
    // A section with no document named before it is not a link.
    expect(page).toContain('a note, §9');
    expect(page).not.toContain('href="file:');
  });

  it('lets only its own style and script run, by hash', () => {
    const csp = decode(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toContain(`default-src 'none'`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
  });

  it('escapes everything from the result: hostile server text adds no element and no attribute', () => {
    expect(markupOnly).not.toMatch(/<(?:img|iframe|object|svg:script)\b/);
    expect(markupOnly).not.toMatch(/\son\w+=/);
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;/script&#62;&#60;script&#62;window.__pwned = 1');
    expect(html).toContain('\\u001b[31m');
  });

  it('starts with the root causes, then the scorecard, then each scenario under its stable anchor', () => {
    expect(html.indexOf('id="causes"')).toBeGreaterThan(0);
    expect(html.indexOf('id="causes"')).toBeLessThan(html.indexOf('id="scorecard"'));
    expect(html.indexOf('id="scorecard"')).toBeLessThan(html.indexOf('id="scenarios"'));
    for (const s of sampleResult().scenarios) expect(html).toContain(`<details class="scenario st-${s.status}" id="scenario-${s.id}"`);
    expect(html).toContain('data-row="okta.oin/deactivateUsers"');
    expect(html).toContain('Entra capabilities · aadOptscim062020');
  });

  it('shows what each scenario requires and covers, and the variant it ran with, and filters by them and by tag', () => {
    expect(html).toContain('<optgroup label="Requires"><option value="requires:bulk">bulk</option><option value="requires:filter">filter</option></optgroup>');
    expect(html).toContain('<option value="covers:deactivateUsers">deactivateUsers</option>');
    expect(html).toContain('<optgroup label="Tags"><option value="tag:bulk">bulk</option>');
    const start = html.indexOf('id="scenario-okta.oin.deactivate-on-unassign"');
    const okta = html.slice(start, html.indexOf('<details class="scenario', start));
    expect(okta).toMatch(/^[^>]*data-labels="[^"]*covers:deactivateUsers/);
    expect(okta).toContain('<dt>variant</dt><dd>Okta To App features · OIN</dd>');
    expect(okta).toContain('<dt>covers</dt><dd>deactivateUsers, createUsers</dd>');
    expect(okta).not.toContain('<dt>requires</dt>');
  });

  it('shows checks with diffs, the transcript with curl lines, the IdP’s words and its clock', () => {
    expect(html).toContain('<span class="del">- 1</span><span class="add">+ 0</span>');
    expect(html).toContain('curl -X POST &#39;http://127.0.0.1:3000/scim/v2/Users&#39;');
    expect(html).toContain('-H &#34;Authorization: Bearer $SCIM_TOKEN&#34;');
    expect(html).toContain('<blockquote>Automatic deactivation of user ada failed: Bad Request.');
    expect(html).toContain('<span class="offset">+40m</span>');
    expect(html).toContain('the whole record');
  });

  it('shortens a scenario of thousands of requests and records to the first 300 and the ones that matter, saying so', () => {
    const result = sampleResult();
    const entra = result.scenarios.find((sc) => sc.idp === 'entra')!;
    const [request] = entra.exchanges;
    const [record] = entra.outcomes;
    entra.status = 'failed';
    entra.exchanges = Array.from({ length: 1000 }, (_, i) => ({ ...request!, seq: i + 1, response: { status: i === 899 ? 409 : 200, headers: {} } }));
    entra.outcomes = Array.from({ length: 500 }, (_, i) => ({ ...record!, record: { action: 'Create', user: `u${i}`, status: i === 449 ? 'Failure' : 'Success' } }));
    entra.steps[0]!.checks.push({ what: 'log[449]', passed: false, message: 'u449 failed', exchange: 700 });
    const page = renderHtml(result);
    const shown = (seq: number) => page.includes(`id="scenario-${entra.id}-exchange-${seq}"`);
    expect([1, 300, 700, 900].map(shown)).toEqual([true, true, true, true]);
    expect([301, 699, 1000].map(shown)).toEqual([false, false, false]);
    expect(page).toContain('Showing 302 of 1000 requests: the first 300, then those that failed or that a failing check looked at.');
    expect(page).toContain('Showing 301 of 500 records: the first 300, then the failures, warnings and changes of state.');
    expect(page).toContain('u449');
    expect(page).not.toContain('u450');
    expect(page).toMatch(/Showing 300 of 1500 moments: the first 300\./);
  });

  it('lists each root cause once: the server’s answer whole, the count and effect, a link to the first scenario, a filter button', () => {
    const causes = html.slice(html.indexOf('<section id="causes">'), html.indexOf('</section>', html.indexOf('<section id="causes">')));
    expect(causes.match(/<li class="cause /g)).toHaveLength(5);
    expect(causes).toContain(
      '<b class="cause-summary">target rejects filter operator &#34;sw&#34;</b><pre class="answer">400 invalidFilter: Unsupported operator sw</pre></div>' +
        '<div class="muted"><b>2 scenarios blocked</b> · first: <a href="#scenario-rfc7644.paging.count-zero">rfc7644.paging.count-zero</a>',
    );
    expect(causes).toContain('data-cause="filter-operator:sw"');
    expect(causes).toContain(`<b class="cause-summary">PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL}</b></div>`);
    expect(html).toContain('<details class="scenario st-blocked" id="scenario-rfc7644.sort.ascending" data-status="blocked" data-idp="none" data-cause="filter-operator:sw"');
  });

  it('counts blocked apart, in the totals, the status filter and the scorecard', () => {
    expect(html).toContain('<title>scimulator: 2 passed, 2 failed, 1 errored, 1 skipped, 2 blocked</title>');
    expect(html).toContain('<span class="pill fail">2 failed</span><span class="pill fail">1 could not run</span><span class="pill block">2 blocked</span>');
    expect(html).toContain('<option value="blocked">Blocked</option>');
    expect(html).toContain('<tr class="row-blocked">');
    expect(html).toContain('<th class="num">blocked</th>');
  });

  it('shows a scenario’s cause first, and the checks that follow from it as consequences, folded', () => {
    const okta = html.slice(html.indexOf('id="scenario-okta.oin.deactivate-on-unassign"'));
    expect(okta).toMatch(/^[^]*?<div class="scenario-body"><div class="cause-box st-failed"><span class="label">cause<\/span> <b class="cause-summary">PATCH \/Users\/\{id\} answered 400/);
    expect(okta).toContain('<li class="check failed consequence"><details><summary><span class="mark">✗</span> <span class="tag-consequence"');
    expect(okta.indexOf(LONG_DETAIL)).toBeLessThan(okta.indexOf('<h4>Steps</h4>'));
  });

  it('says in the collapsed header why a scenario did not pass, in one line: its cause with the server’s answer', () => {
    const summaryOf = (id: string) => {
      const at = html.indexOf(`id="scenario-${id}"`);
      return html.slice(html.indexOf('<summary>', at), html.indexOf('</summary>', at));
    };
    expect(summaryOf('rfc7644.filter.eq-case-insensitive')).toContain('<span class="why" title="GET /Users: Resources[0] differs: &#60;/script&#62;&#60;script&#62;');
    expect(summaryOf('rfc7644.sort.ascending')).toContain(
      '<span class="why" title="target rejects filter operator &#34;sw&#34; (400 invalidFilter: Unsupported operator sw)">target rejects filter operator &#34;sw&#34; (400 invalidFilter: Unsupported operator sw)</span>',
    );
    expect(summaryOf('okta.oin.deactivate-on-unassign')).toContain(`<span class="why" title="PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL}">`);
    expect(summaryOf('rfc7644.users.get-by-id')).toContain('>the template names {{userId}}, which no step saved</span>');
    expect(summaryOf('rfc7644.users.create-201')).not.toContain('class="why"');
  });

  it('keeps a scrolled-to scenario below the sticky controls, by their measured height', () => {
    expect(html).toMatch(/details\.scenario, details\.exchange \{ scroll-margin-top: calc\(var\(--controls-height, 80px\) \+ 8px\); \}/);
    expect(html).toContain(`setProperty('--controls-height', controls.offsetHeight + 'px')`);
  });

  it('opens what failing checks looked at, and requests that got no answer', () => {
    expect(html).toContain('<details class="exchange" id="scenario-rfc7644.filter.eq-case-insensitive-exchange-2" open>');
    expect(html).toContain('<details class="exchange" id="scenario-rfc7644.filter.eq-case-insensitive-exchange-1">');
    expect(html).toContain('<details class="exchange" id="scenario-rfc7644.users.get-by-id-exchange-1" open>');
  });

  it('is a pure function of the result', () => {
    expect(renderHtml(sampleResult())).toBe(html);
  });
});

describe('offset', () => {
  it('reads like a clock offset', () => {
    expect([0, 59_000, 40 * 60_000, 65 * 60_000, 27 * 3_600_000].map(offset)).toEqual(['+0s', '+59s', '+40m', '+1h 5m', '+1d 3h']);
  });
});
