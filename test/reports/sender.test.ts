import { describe, expect, it } from 'vitest';
import type { Exchange, RunResult } from '../../harness/result.js';
import { renderHtml } from '../../reports/html.js';
import { renderJunit } from '../../reports/junit.js';
import { harnessTagged } from '../../reports/sender.js';
import { sampleResult } from './sample-result.js';

const OKTA_ID = 'okta.oin.deactivate-on-unassign';

const exchange = (seq: number, kind: Exchange['kind'], by?: string): Exchange => ({
  seq,
  step: 1,
  kind,
  ...(by !== undefined && { by }),
  request: { method: 'GET', url: `http://127.0.0.1:3000/scim/v2/Users/${seq}`, headers: {} },
  response: { status: 200, headers: {} },
  startedAt: '2025-01-01T09:00:00.000Z',
  durationMs: 1,
});

/** The sample run, its Okta scenario with the harness's read of the target (#3) after the IdP's two requests. */
function withHarnessRead(): RunResult {
  const result = sampleResult();
  const okta = result.scenarios.find((s) => s.id === OKTA_ID)!;
  okta.exchanges.push(exchange(3, 'verify', 'harness'));
  return result;
}

describe("the harness's requests in reports", () => {
  it('are tagged only beside an IdP’s, by `by`, or by `kind` in a result written before `by`', () => {
    expect(harnessTagged([exchange(1, 'raw', 'harness'), exchange(2, 'cleanup', 'harness')])).toEqual(new Set());
    expect(harnessTagged([exchange(1, 'idp', 'okta'), exchange(2, 'verify', 'harness'), exchange(3, 'cleanup', 'harness')])).toEqual(new Set([2, 3]));
    expect(harnessTagged([exchange(1, 'idp'), exchange(2, 'verify'), exchange(3, 'discovery')])).toEqual(new Set([2, 3]));
    expect(harnessTagged([exchange(1, 'idp', 'entra'), exchange(2, 'raw', 'harness')])).toEqual(new Set([2]));
  });

  it('say `harness` in the JUnit transcript of an IdP scenario, and nothing in a protocol one', () => {
    const xml = renderJunit(withHarnessRead());
    expect(xml).toContain('#3 [verify, harness] GET http://127.0.0.1:3000/scim/v2/Users/3 → 200');
    expect(xml).toMatch(/#1 \[idp\] POST /);
    expect(xml).toMatch(/#2 \[raw\] GET /);
  });

  it('carry a small `harness` tag beside their kind in the HTML transcript', () => {
    const html = renderHtml(withHarnessRead());
    expect(html).toMatch(/#3<\/span> <span class="kind kind-verify">verify<\/span> <span class="by" title="[^"]*">harness<\/span>/);
    expect(html.match(/<span class="by"/g)).toHaveLength(1);
  });
});
