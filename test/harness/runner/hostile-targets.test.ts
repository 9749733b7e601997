import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { RunResult, ScenarioResult } from '../../../harness/result.js';
import { RunAbort } from '../../../harness/runner/errors.js';
import { runScenarios, type RunOptions } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';
import { BEYOND_DISCOVERY, hostileTarget, type HostileMode, type HostileTarget, type Picks } from '../hostile-target.js';

/*
 * A run against targets that answer discovery, or nothing, and then misbehave (issue 20, findings
 * 5 and 6): each ends in bounded time with a clear failure, and a target that stops answering ends
 * the run with exit 3 instead of failing scenario after scenario.
 */

let scenarios: Scenario[] = [];
beforeAll(async () => {
  const loaded = await loadScenarios([join(import.meta.dirname, '../../../scenarios/rfc7644/users')], { idps: IDPS });
  expect(loaded.errors.map(String)).toEqual([]);
  scenarios = loaded.scenarios;
});

/*
 * Every request of a run meets its --timeout and --deadline, the answered ones too: those a test
 * waits for are long enough that a loaded machine (CI, two cores) answers the reference server's
 * requests well within them, and short enough to wait for once.
 */
/** An idle timeout or a wait none is meant to reach: only bounds a run that hangs by mistake. */
const UNUSED_TIMEOUT_MS = 10_000;
/**
 * A deadline or idle timeout a hostile request is given up at, waited for once per test. The
 * answered requests meet it too: 3 s leaves a loaded CI machine room to answer them in time.
 */
const GIVE_UP_MS = 3000;

let target: HostileTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

/** Runs the users scenarios (or `run`) against a hostile target; answers the result, or the RunAbort the run threw. */
async function runAgainst(
  mode: HostileMode,
  picks: Picks,
  options: Partial<RunOptions> = {},
  run: Scenario[] = scenarios,
): Promise<{ result?: RunResult; abort?: RunAbort; ended: ScenarioResult[] }> {
  target = await hostileTarget(mode, picks);
  const ended: ScenarioResult[] = [];
  const running = runScenarios(run, {
    idps: IDPS,
    target: { url: target.url, credentials: { kind: 'bearer', token: target.token } },
    timeoutMs: UNUSED_TIMEOUT_MS,
    onScenarioEnd: (result) => ended.push(result),
    ...options,
  });
  const outcome = await running.then(
    (result) => ({ result }),
    (error: unknown) => {
      if (!(error instanceof RunAbort)) throw error;
      return { abort: error };
    },
  );
  return { ...outcome, ended };
}

describe('a target that stops answering after discovery ends the run with exit 3 (the breaker)', () => {
  it('connection refused from the first scenario on: stopped after 4 failed requests, saying why', async () => {
    const { abort, ended } = await runAgainst({ kind: 'refuse' }, BEYOND_DISCOVERY);
    expect(abort?.exitCode).toBe(3);
    expect(abort?.message).toMatch(
      /^The run stopped: 4 of the last \d+ requests got no usable answer from the target, the last: [A-Z]+ http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/\S+: connection (refused|closed) by 127\.0\.0\.1:\d+[^.]*\. \(--max-failures 4 stops a run once that many of the last 8/,
    );
    expect(ended.length).toBeLessThan(scenarios.length);
  });

  it('no answer at all: stopped after --max-failures timeouts', async () => {
    const { abort } = await runAgainst({ kind: 'hang' }, BEYOND_DISCOVERY, { maxFailures: 2, timeoutMs: GIVE_UP_MS });
    expect(abort?.message).toMatch(/^The run stopped: 2 of the last \d requests got no usable answer from the target, the last: \S+ \S+: no response within 3 s\. /);
  });

  it('discovery still answered, everything else dripped: at default settings, stopped at the first wave of deadlines', async () => {
    // As in the library's order, four scenarios at once: four Bulk scenarios drip, one that reads /ServiceProviderConfig passes…
    // Each dripping request outlives its deadline, never its idle timeout; the first wave of four is enough.
    const loaded = await loadScenarios(['bulk', 'content-types', 'discovery'].map((folder) => join(import.meta.dirname, '../../../scenarios/rfc7644', folder)), { idps: IDPS });
    const { abort, ended } = await runAgainst({ kind: 'drip', everyMs: 10 }, BEYOND_DISCOVERY, { deadlineMs: GIVE_UP_MS }, loaded.scenarios);
    expect(abort?.message).toMatch(/^The run stopped: 4 of the last [4-8] requests got no usable answer from the target, the last: \S+ \S+: no complete response within 3 s \(--deadline\)\. \(--max-failures 4 /);
    // Four dripped requests waited for their deadline, all four in flight at once: no second wave waited for (5 needed
    // one: two deadlines). A scenario that followed one of them may have sent its request before the fourth deadline
    // (how soon depends on the machine's load): the breaker abandoned it, it did not wait for it. The rest never ran.
    const exchanges = ended.flatMap((result) => result.exchanges).filter((exchange) => exchange.error !== undefined);
    const waited = exchanges.filter((exchange) => exchange.error === 'no complete response within 3 s (--deadline)');
    expect(waited).toHaveLength(4);
    const lastStart = Math.max(...waited.map((exchange) => Date.parse(exchange.startedAt)));
    for (const exchange of waited) expect(Date.parse(exchange.startedAt) + exchange.durationMs).toBeGreaterThan(lastStart);
    for (const exchange of exchanges.filter((e) => !waited.includes(e))) expect(exchange.error).toBe('the run stopped, as the target stopped answering (--max-failures)');
    expect(ended.length).toBeLessThan(loaded.scenarios.length);
  });

  it('with --max-failures 0, every scenario runs and errors on the limit instead: an endless body is cut at the size limit each time', async () => {
    const { result } = await runAgainst({ kind: 'endless' }, BEYOND_DISCOVERY, { maxFailures: 0, maxResponseBytes: 64 * 1024, concurrency: 2 });
    const reasons = result!.scenarios.filter((s) => s.status === 'error').map((s) => s.reason);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toMatch(/response larger than 64 KB: stopped reading \(--max-response-size\)/);
    expect(result!.scenarios.every((s) => s.status !== 'passed')).toBe(true);
  });
});

describe('discovery that hangs', () => {
  it('a /Schemas without an answer is given up on once, said once, and the run goes on assuming every attribute', async () => {
    const notices: string[] = [];
    const { result } = await runAgainst({ kind: 'hang' }, (method, url) => method === 'GET' && /\/Schemas$/.test(url.split('?')[0]!), {
      onNotice: (notice) => notices.push(notice),
      deadlineMs: GIVE_UP_MS,
    });
    expect(notices).toEqual([
      expect.stringMatching(
        /^GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Schemas: no complete response within 3 s \(--deadline\): the attributes the target declares are not known, so no scenario is skipped for want of one\.$/,
      ),
    ]);
    expect(result!.target.attributes).toBeUndefined();
    expect(result!.totals.passed).toBeGreaterThan(0);
  });

  it('an interrupt while the preflight hangs ends the run with the result of what ran: nothing', async () => {
    const controller = new AbortController();
    target = await hostileTarget({ kind: 'hang' });
    const run = runScenarios(scenarios, {
      idps: IDPS,
      target: { url: target.url, credentials: { kind: 'bearer', token: target.token } },
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(target!.hostile).toBe(1), { timeout: UNUSED_TIMEOUT_MS });
    controller.abort('SIGTERM');
    const result = await run;
    expect(result.scenarios).toEqual([]);
    expect(result.interrupted).toEqual({ signal: 'SIGTERM', at: expect.any(String), notRun: scenarios.map((s) => s.id) });
  });
});
