import { describe, expect, it } from 'vitest';
import { answerText, causeText, failuresByCause } from '../../reports/causes.js';
import { oneLine } from '../../reports/failures.js';
import { LONG_DETAIL, sampleResult } from './sample-result.js';

describe('causeText', () => {
  it('adds the server’s answer, whole, unless the sentence already quotes it', () => {
    const answer = { status: 400, scimType: 'invalidFilter', detail: 'Unsupported operator sw' };
    expect(causeText({ summary: 'target rejects filter operator "sw"', answer })).toBe('target rejects filter operator "sw" (400 invalidFilter: Unsupported operator sw)');
    expect(causeText({ summary: 'GET /Users answered 400 invalidFilter: Unsupported operator sw', answer })).toBe('GET /Users answered 400 invalidFilter: Unsupported operator sw');
    expect(causeText({ summary: 'no /.search' })).toBe('no /.search');
  });

  it('writes an answer as status, scimType and detail, or the start of a body that is not a SCIM error', () => {
    expect(answerText({ status: 400, detail: LONG_DETAIL })).toBe(`400: ${LONG_DETAIL}`);
    expect(answerText({ status: 502, body: '<html>Bad gateway</html>' })).toBe('502: <html>Bad gateway</html>');
    expect(answerText({ status: 404 })).toBe('404');
  });
});

describe('failuresByCause', () => {
  it('groups failed and errored scenarios under their root cause, in the result’s order, then those without one', () => {
    const result = sampleResult();
    result.scenarios[1]!.cause = undefined;
    const groups = failuresByCause(result).map((g) => [g.cause?.effect, g.scenarios.map((s) => s.id)]);
    expect(groups).toEqual([
      ['failed', ['okta.oin.deactivate-on-unassign']],
      ['error', ['rfc7644.users.get-by-id']],
      [undefined, ['rfc7644.filter.eq-case-insensitive']],
    ]);
  });
});

describe('oneLine', () => {
  it('cuts a long value, but never the reasons in it: they follow whole', () => {
    const record = { action: 'Update', status: 'Failure', payload: 'x'.repeat(400), errorInformation: { errorCode: 'SystemForCrossDomainIdentityManagementBadRequest', reason: LONG_DETAIL } };
    const line = oneLine(record, 200);
    expect(line.startsWith(JSON.stringify(record).slice(0, 200))).toBe(true);
    expect(line).toContain(`characters; errorInformation.reason: ${JSON.stringify(LONG_DETAIL)})`);
    expect(oneLine([record, record], 100).match(/errorInformation\.reason/g)).toHaveLength(1);
  });

  it('keeps a string of up to 500 characters whole (a body’s start), and a short value as it is', () => {
    const body = 'y'.repeat(500);
    expect(oneLine(body, 120)).toBe(JSON.stringify(body));
    expect(oneLine({ a: 1 }, 120)).toBe('{"a":1}');
    expect(oneLine(undefined, 120)).toBe('(nothing)');
  });
});
