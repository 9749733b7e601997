import { describe, expect, it } from 'vitest';
import { renderConsoleSummary, scenarioLine, summaryLine } from '../../reports/console.js';
import { LONG_DETAIL, sampleResult } from './sample-result.js';

const plain = { color: false };
const byId = (id: string) => sampleResult().scenarios.find((s) => s.id === id)!;

describe('the console summary', () => {
  const text = renderConsoleSummary(sampleResult(), plain);
  const lines = text.split('\n');

  it('leads with the root causes, each once with the server’s answer, its count and effect, and the first scenario', () => {
    expect(lines.find((l) => l !== '')).toBe('Root causes:');
    const causes = lines.slice(lines.indexOf('Root causes:') + 1, lines.indexOf('', lines.indexOf('Root causes:')));
    expect(causes).toEqual([
      expect.stringMatching(/^ {2}✗ GET \/Users: Resources\[0\] differs: .* — 1 scenario failed, first: rfc7644\.filter\.eq-case-insensitive$/),
      `  ✗ PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL} — 1 scenario failed, first: okta.oin.deactivate-on-unassign`,
      '  ! the template names {{userId}}, which no step saved — 1 scenario could not run, first: rfc7644.users.get-by-id',
      '  ~ target rejects filter operator "sw" (400 invalidFilter: Unsupported operator sw) — 2 scenarios blocked, first: rfc7644.paging.count-zero',
      '  - not supported: bulk (ServiceProviderConfig) — 1 scenario skipped, first: rfc7644.bulk.bulkid-references',
    ]);
  });

  it('then the failures in full, each with its cause; blocked and skipped scenarios are not failures', () => {
    const failures = text.slice(text.indexOf('\nFailures:\n'));
    expect(failures).toContain('✗ okta.oin.deactivate-on-unassign — Unassigning a user deactivates it with a path-less PATCH');
    expect(failures).toContain(`  cause: PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL}\n`);
    expect(failures).toContain('! rfc7644.users.get-by-id');
    expect(failures).not.toContain('rfc7644.paging.count-zero');
    expect(failures).not.toContain('rfc7644.bulk.bulkid-references');
  });

  it('shows the checks that follow from the cause under it, as consequences, their messages whole', () => {
    const okta = lines.slice(lines.indexOf('✗ okta.oin.deactivate-on-unassign — Unassigning a user deactivates it with a path-less PATCH'));
    expect(okta[3]).toMatch(/^ {2}cause: PATCH/);
    expect(okta[4]).toBe(
      `    consequence, step 3: outcome: expected the task to succeed, it failed: Automatic deactivation of user ada failed: Bad Request. ${LONG_DETAIL} </script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">]]>&amp;' "\\u0000\\u001b[31m\uFFFE`,
    );
    expect(okta[5]).toBe('    consequence, step 3: target ada active: expected active to equal false, got true');
    expect(text).not.toMatch(/✗ target ada active/);
  });

  it('never sends a server’s control characters to the terminal', () => {
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain('\\u001b[31m');
  });

  it('closes with passed and failed first, errored and blocked apart', () => {
    expect(lines.at(-1)).toBe('2 passed, 2 failed, 1 errored, 1 skipped, 2 blocked');
    expect(summaryLine({ passed: 3, failed: 0, skipped: 1, blocked: 0, errored: 0, total: 4 })).toBe('3 passed, 0 failed, 1 skipped');
  });

  it('without a cause to name (everything passed), starts with the target', () => {
    const result = sampleResult();
    result.scenarios = result.scenarios.filter((s) => s.status === 'passed');
    result.causes = [];
    result.totals = { passed: 2, failed: 0, skipped: 0, blocked: 0, errored: 0, total: 2 };
    expect(renderConsoleSummary(result, plain).split('\n').filter(Boolean)).toEqual(['Target: http://127.0.0.1:3000/scim/v2 · 2.5 s', '2 passed, 0 failed, 0 skipped']);
  });
});

describe('scenarioLine', () => {
  it('says why a scenario was blocked or skipped, with the server’s answer, in yellow', () => {
    expect(scenarioLine(byId('rfc7644.sort.ascending'), plain)).toBe(
      '~ rfc7644.sort.ascending — Title of rfc7644.sort.ascending (blocked: target rejects filter operator "sw" (400 invalidFilter: Unsupported operator sw))',
    );
    expect(scenarioLine(byId('rfc7644.bulk.bulkid-references'), plain)).toBe(
      '- rfc7644.bulk.bulkid-references — Title of rfc7644.bulk.bulkid-references (skipped: not supported: bulk (ServiceProviderConfig))',
    );
    expect(scenarioLine(byId('rfc7644.sort.ascending'), { color: true })).toMatch(/^\x1b\[33m~\x1b\[0m /);
    expect(scenarioLine(byId('okta.oin.deactivate-on-unassign'), { color: true })).toMatch(/^\x1b\[31m✗\x1b\[0m /);
  });
});
