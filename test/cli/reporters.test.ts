import { describe, expect, it } from 'vitest';
import { readReporters, scrubResult } from '../../harness/cli/reporters.js';
import { sampleResult } from '../reports/sample-result.js';

describe('scrubResult', () => {
  it('takes secrets out of what is not an exchange too: IdP outcomes, checks, errors, root causes', () => {
    const result = sampleResult();
    const okta = result.scenarios.find((s) => s.idp === 'okta')!;
    okta.outcomes[1]!.record.message = 'Automatic provisioning of user s3cret-user failed';
    okta.steps[2]!.checks[0]!.actual = { password: 'hunter2', note: 's3cret-user' };
    okta.reason = 'token tok-123 refused';
    result.causes[1]!.answer!.detail = 'user s3cret-user refused';
    const scrubbed = scrubResult(result, ['s3cret-user'], { kind: 'bearer', token: 'tok-123' });
    const text = JSON.stringify(scrubbed);
    for (const secret of ['s3cret-user', 'hunter2', 'tok-123']) expect(text).not.toContain(secret);
    expect(scrubbed.scenarios.find((s) => s.idp === 'okta')!.outcomes[1]!.record.message).toBe('Automatic provisioning of user [redacted] failed');
  });

  it('keeps the format markers, whatever the secret, so that the file reads back', () => {
    const scrubbed = scrubResult(sampleResult(), ['scimulator', 'run']);
    expect(scrubbed).toMatchObject({ format: 'scimulator-run', version: 3, tool: { name: 'scimulator' } });
  });
});

describe('readReporters', () => {
  it('knows every format and refuses others', () => {
    expect(readReporters('console, json,html,junit,markdown')).toEqual(['console', 'json', 'html', 'junit', 'markdown']);
    expect(() => readReporters('html,pdf')).toThrow('Unknown reporter "pdf": choose from console, json, html, junit, markdown');
  });
});
