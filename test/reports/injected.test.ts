/**
 * An answer the scenario injected (docs/faults.md) is shown as such wherever a report shows the
 * exchange or a check of it: `injected: 429 Retry-After 30`, never as the target's own failure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../harness/idp/registry.js';
import { runScenarios } from '../../harness/runner/run.js';
import { loadScenarios } from '../../harness/scenario/load.js';
import type { RunResult } from '../../harness/result.js';
import { renderConsoleSummary } from '../../reports/console.js';
import { renderHtml } from '../../reports/html.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { tempFolder } from '../harness/scenario/helpers.js';

const folder = tempFolder();

/** Expects a 201 where its own fault answers 429: it fails, on an injected answer. */
const MISTAKEN = `id: t.mistaken
title: A create the scenario itself throttles
refs: ["RFC 7644 §3.3"]
target:
  faults:
    - name: throttle-create
      match: { method: POST, path: /Users }
      act: { status: 429, retryAfter: 30 }
steps:
  - request: { method: POST, path: /Users, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "{{unique.user}}" } }
    expect: { status: 201 }
`;

const INJECTED = 'injected: throttle-create: 429 Retry-After 30';
let result: RunResult;

beforeAll(async () => {
  const { dir, write } = await folder();
  await write('mistaken.yaml', MISTAKEN);
  const { scenarios, errors } = await loadScenarios([dir], { idps: IDPS });
  expect(errors).toEqual([]);
  result = await runScenarios(scenarios, { idps: IDPS });
  expect(result.scenarios[0]!.status).toBe('failed');
});

describe('an injected answer in the reports', () => {
  it("is the cause, named as the scenario's own fault rather than the target's answer", () => {
    expect(result.scenarios[0]!.cause).toEqual({
      key: 'injected:POST /Users|throttle-create: 429 Retry-After 30',
      summary: `POST /Users met the fault the scenario injects (${INJECTED}), not an answer of the target`,
      exchange: 1,
    });
  });

  it('is said beside the exchange and the check in every report', () => {
    expect(renderConsoleSummary(result, { color: false })).toContain(`got 429 (detail: "Too Many Requests") [RFC 7644 §3.3] [${INJECTED}]`);
    expect(renderJunit(result)).toContain(`→ 429 [${INJECTED}]`);
    expect(renderMarkdown(result)).toContain(`(${INJECTED})`);
    const html = renderHtml(result);
    expect(html).toContain(`<span class="injected">${INJECTED}</span>`);
  });
});
