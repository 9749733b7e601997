import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, suiteOf } from '../../reports/junit.js';
import { LONG_DETAIL, sampleResult } from './sample-result.js';

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

interface Testcase {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  skipped?: { '@_message': string };
  failure?: { '@_message': string; '@_type': string; '#text': string };
  error?: { '@_message': string; '#text': string };
  'system-out'?: string;
}

function parse(xml: string) {
  // htmlEntities: numeric character references (`&#10;`) decoded, as JUnit consumers do.
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false, parseTagValue: false, trimValues: false, htmlEntities: true });
  return parser.parse(xml) as { testsuites: Record<string, string> & { testsuite: unknown } };
}

describe('renderJunit', () => {
  const xml = renderJunit(sampleResult());
  const doc = parse(xml);
  const suites = asList(doc.testsuites.testsuite as Record<string, unknown>[]);
  const cases = suites.flatMap((s) => asList(s.testcase as Testcase[]));
  const byName = (name: string) => cases.find((c) => c['@_name'] === name)!;

  it('is well-formed XML 1.0, even with control characters and markup in server text', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    // Control characters XML 1.0 forbids never reach the file, not even as references.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(xml).not.toMatch(/&#(?:x0*[0-8bcef]|x0*1[0-9a-f]|0*(?:[0-8]|1[1-2]|1[4-9]|2\d|3[01]));/i);
    expect(xml).toContain('\\u001b[31m');
  });

  it('has the usual shape: testsuites > testsuite[name, tests, failures, errors, skipped, time] > testcase', () => {
    expect(doc.testsuites).toMatchObject({ '@_name': 'scimulator', '@_tests': '8', '@_failures': '2', '@_errors': '1', '@_skipped': '3', '@_time': '2.500' });
    for (const suite of suites) {
      for (const key of ['@_name', '@_tests', '@_failures', '@_errors', '@_skipped', '@_time', '@_timestamp']) expect(suite).toHaveProperty(key);
      expect(Number(suite['@_tests'])).toBe(asList(suite.testcase).length);
      expect(suite['@_timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    }
    for (const c of cases) {
      expect(c['@_time']).toMatch(/^\d+\.\d{3}$/);
      expect(c['@_classname']).toBe(suiteOf(c['@_name']));
    }
  });

  it('makes one suite per scenario folder, named by the id without its last segment', () => {
    expect(suites.map((s) => s['@_name'])).toEqual(['entra.aadoptscim062020', 'okta.oin', 'rfc7644.bulk', 'rfc7644.filter', 'rfc7644.paging', 'rfc7644.sort', 'rfc7644.users']);
    expect(suites.find((s) => s['@_name'] === 'rfc7644.users')).toMatchObject({ '@_tests': '2', '@_errors': '1', '@_failures': '0' });
    expect(suiteOf('lonely')).toBe('scenarios');
  });

  it('gives a failure every failing check with expected, actual and reference, and the transcript in system-out', () => {
    const failed = byName('rfc7644.filter.eq-case-insensitive');
    expect(failed.failure!['@_type']).toBe('body');
    expect(failed.failure!['@_message']).toContain('GET /Users: Resources[0] differs: </script><script>');
    const details = failed.failure!['#text'];
    expect(details).toContain('body totalResults: expected totalResults to equal 1, got 0');
    expect(details).toContain('expected: {"equals":1}');
    expect(details).toContain('actual:   0');
    expect(details).toContain('ref: RFC 7644 §3.4.2.2');
    expect(failed['system-out']).toContain('#2 [raw] GET http://127.0.0.1:3000/scim/v2/Users?filter=userName%20eq%20%22x%22 → 200');
  });

  it('gives a failure its root cause as the message, the server’s detail whole, and the checks that follow from it as consequences', () => {
    const okta = byName('okta.oin.deactivate-on-unassign').failure!;
    expect(LONG_DETAIL.length).toBeGreaterThan(600);
    expect(okta['@_message']).toBe(`PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL}`);
    expect(okta['#text']).toContain(`cause: PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL}\n`);
    expect(okta['#text']).toContain('consequence, step 3 (expect): target ada active: expected active to equal false, got true');
    expect(okta['#text']).toContain(`consequence, step 3 (expect): outcome: expected the task to succeed, it failed: Automatic deactivation of user ada failed: Bad Request. ${LONG_DETAIL}`);
  });

  it('marks blocked scenarios skipped, with "blocked:", the cause and the server’s answer', () => {
    for (const id of ['rfc7644.paging.count-zero', 'rfc7644.sort.ascending']) {
      const blocked = byName(id);
      expect(blocked.skipped!['@_message']).toBe('blocked: target rejects filter operator "sw" (400 invalidFilter: Unsupported operator sw)');
      expect(blocked.failure).toBeUndefined();
    }
  });

  it('marks skipped scenarios with their reason and errors with why they could not run', () => {
    expect(byName('rfc7644.bulk.bulkid-references').skipped!['@_message']).toBe('not supported: bulk (ServiceProviderConfig)');
    const errored = byName('rfc7644.users.get-by-id');
    expect(errored.error!['@_message']).toContain('which no step saved');
    expect(errored['system-out']).toContain('no response: connect ECONNREFUSED');
    expect(byName('rfc7644.users.create-201').failure).toBeUndefined();
  });

  it('keeps attribute text whole: quotes, apostrophes, newlines and markup round-trip', () => {
    const result = sampleResult();
    result.scenarios[2]!.cause = { key: 'odd', summary: `line one\nline "two"\t'three' <b>&` };
    const skipped = asList((parse(renderJunit(result)).testsuites.testsuite as Record<string, unknown>[]).find((s) => s['@_name'] === 'rfc7644.bulk')!.testcase as Testcase[])[0]!;
    expect(skipped.skipped!['@_message']).toBe(`line one\nline "two"\t'three' <b>&`);
  });
});
