import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/result.js';
import { cli } from './compiled-cli.js';

/*
 * CI gating on no new failures, through the CLI against the embedded reference server (loopback):
 * four scenarios whose expectations stand for the state of a target. In the baseline run a and b
 * fail; in the next, b is fixed and c newly fails.
 */

let dir: string;

/** A folder of scenarios ci.a…ci.d, those in `failing` expecting a status the server never answers. */
function scenarios(name: string, failing: string[]): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (const id of ['a', 'b', 'c', 'd']) {
    const status = failing.includes(id) ? 418 : 200;
    writeFileSync(
      join(folder, `${id}.yaml`),
      `id: ci.${id}\ntitle: Scenario ${id}\nrefs: ["RFC 7644 §4"]\nsteps:\n  - request: { method: GET, path: /ServiceProviderConfig }\n    expect: { status: ${status} }\n`,
    );
  }
  return folder;
}

const ALL = 'console,json,html,junit,markdown';
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validateResult = ajv.compile(JSON.parse(readFileSync(new URL('../../docs/run-result.schema.json', import.meta.url), 'utf8')));
const read = (out: string, file: string) => readFileSync(join(out, file), 'utf8');

let before: string;
let after: string;
let baseline: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-gate-'));
  before = scenarios('before', ['a', 'b']);
  after = scenarios('after', ['a', 'c']);
  const first = await cli(['run', before, '--reporter', 'json', '--out', join(dir, 'baseline')], dir);
  expect(first.code).toBe(1);
  baseline = join(dir, 'baseline', 'result.json');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('run --baseline', () => {
  it('exits 1 naming only the new failure, lists the fixed one, in every report', async () => {
    const out = join(dir, 'gated');
    const run = await cli(['run', after, '--baseline', baseline, '--reporter', ALL, '--out', out], dir);
    expect(run.code).toBe(1);
    const failures = run.stdout.slice(run.stdout.indexOf('Failures:'), run.stdout.indexOf('Known failures and baseline:'));
    expect(failures).toContain('✗ ci.c — Scenario c');
    expect(failures).not.toContain('ci.a');
    expect(run.stdout).toContain('  ✗ ci.c: new failure\n');
    expect(run.stdout).toContain(`  ○ ci.a: known failure: failing in the baseline (baseline ${baseline})\n`);
    expect(run.stdout).toContain('  ✓ ci.b: fixed (failing in the baseline, passes now)\n');
    expect(run.stdout).toMatch(/Gate failed: 1 new failure, 1 known, 1 fixed \(baseline .*result\.json\)\n?$/);

    const result = JSON.parse(read(out, 'result.json')) as RunResult;
    expect(result.gate).toMatchObject({ passed: false, fixed: ['ci.b'], failures: [{ scenario: 'ci.a', verdict: 'known' }, { scenario: 'ci.c', verdict: 'new' }] });
    expect(validateResult(result), ajv.errorsText(validateResult.errors)).toBe(true);
    expect(read(out, 'summary.md')).toContain('- ❌ [ci.c](report.html#scenario-ci.c): new failure');
    expect(read(out, 'report.html')).toContain('<section id="gate">');
    const junit = read(out, 'junit.xml');
    expect(junit).toContain('<testsuites name="scimulator" tests="5" failures="1" errors="0" skipped="2"');
    expect(junit).toMatch(/name="ci\.a"[^>]*>\s*<skipped message="known failure: failing in the baseline/);
    expect(junit).toContain('<failure message="new failure — GET /ServiceProviderConfig answered 200" type="status">');
    expect(read(out, 'report.html')).toContain('ms · new failure</span>');

    // Re-rendered from result.json, the verdicts stay: reports are pure functions of it.
    const again = await cli(['report', join(out, 'result.json'), '--reporter', 'markdown', '--out', join(dir, 'again')], dir);
    expect(again.code).toBe(0);
    expect(read(join(dir, 'again'), 'summary.md')).toBe(read(out, 'summary.md'));
  });

  it('exits 0 when every failure was failing in the baseline', async () => {
    const run = await cli(['run', before, '--baseline', baseline, '--reporter', 'console'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 passed, 2 failed, 0 skipped\nGate passed: 0 new failures, 2 known/);
  });
});

describe('run --baseline --shard, merged by scimulator report', () => {
  it('gives the whole run\'s gate', async () => {
    const shards = [1, 2].map((k) => join(dir, `gated-shard-${k}`));
    await Promise.all(shards.map((out, i) => cli(['run', after, '--baseline', baseline, '--shard', `${i + 1}/2`, '--reporter', 'json', '--out', out], dir)));
    const merged = await cli(['report', ...shards.map((s) => join(s, 'result.json')), '--reporter', 'console'], dir);
    expect(merged.stdout).toMatch(/Gate failed: 1 new failure, 1 known, 1 fixed \(baseline .*result\.json\)\n?$/);
  });

  it('gates ungated shards where they are merged, with the exit code of run', async () => {
    const shards = [1, 2].map((k) => join(dir, `plain-shard-${k}`));
    await Promise.all(shards.map((out, i) => cli(['run', after, '--shard', `${i + 1}/2`, '--reporter', 'json', '--out', out], dir)));
    const results = shards.map((s) => join(s, 'result.json'));
    const plain = await cli(['report', ...results, '--reporter', 'console'], dir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('Gate');

    const out = join(dir, 'merged-gated');
    const gated = await cli(['report', ...results, '--baseline', baseline, '--reporter', 'console,json', '--out', out], dir);
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain('  ✗ ci.c: new failure\n');
    expect(gated.stdout).toMatch(/Gate failed: 1 new failure, 1 known, 1 fixed \(baseline .*result\.json\)\n?$/);
    const result = JSON.parse(read(out, 'result.json')) as RunResult;
    expect(result.gate).toMatchObject({ passed: false, fixed: ['ci.b'] });
    expect(validateResult(result), ajv.errorsText(validateResult.errors)).toBe(true);

    const known = join(dir, 'merge-known.yaml');
    writeFileSync(known, 'known:\n  - scenario: ci.a\n    reason: by design\n    owner: qa\n    expires: 2999-12-31\n  - scenario: ci.c\n    reason: waiting\n    owner: qa\n    expires: 2999-12-31\n');
    const accepted = await cli(['report', ...results, '--known', known, '--reporter', 'console'], dir);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/Gate passed: 0 new failures, 2 known \(.*merge-known\.yaml\)\n?$/);

    const missing = await cli(['report', ...results, '--baseline', join(dir, 'nothing.json')], dir);
    expect([missing.code, missing.stderr]).toEqual([2, `${join(dir, 'nothing.json')}: cannot read the file (ENOENT)\n`]);
  });
});

describe('scimulator diff', () => {
  it('shows the newly failing and the newly passing with their root causes, as text and Markdown', async () => {
    const out = join(dir, 'next');
    await cli(['run', after, '--reporter', 'json', '--out', out], dir);
    const text = await cli(['diff', baseline, join(out, 'result.json')], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Newly failing:\n  ✗ ci.c: GET /ServiceProviderConfig answered 200\n');
    expect(text.stdout).toContain('Root causes of the new failures:\n  GET /ServiceProviderConfig answered 200 — ci.c\n');
    expect(text.stdout).toContain('Newly passing:\n  ✓ ci.b (was failed: GET /ServiceProviderConfig answered 200)\n');
    const markdown = await cli(['diff', baseline, join(out, 'result.json'), '--reporter', 'markdown'], dir);
    expect(markdown.stdout).toContain('### Newly failing\n\n- ❌ `ci.c`');
    expect(markdown.stdout).toContain('### Newly passing\n\n- ✅ `ci.b`');
    expect((await cli(['diff', baseline, baseline], dir)).code).toBe(0);
    const wrong = await cli(['diff', baseline, join(dir, 'missing.json')], dir);
    expect([wrong.code, wrong.stderr]).toEqual([2, `${join(dir, 'missing.json')}: cannot read the file (ENOENT)\n`]);
  });
});

describe('run --known', () => {
  const knownFile = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('accepts listed failures, fails on an expired entry naming it, reports stale entries', async () => {
    const file = knownFile(
      'known.yaml',
      'known:\n' +
        '  - scenario: ci.a\n    reason: SPC is fixed by design\n    owner: team-scim\n    expires: 2999-12-31\n' +
        '  - scenario: ci.c\n    check: status\n    reason: waiting for the fix\n    ticket: https://tracker.example.com/SCIM-7\n    expires: 2000-01-01\n' +
        '  - scenario: ci.d\n    reason: flaked once\n    owner: qa\n    expires: 2999-12-31\n',
    );
    const out = join(dir, 'known');
    const run = await cli(['run', after, '--known', file, '--reporter', 'console,json,markdown', '--out', out], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`  ✗ ci.c: known failure past its expiry, failing the run: waiting for the fix (ticket https://tracker.example.com/SCIM-7, expired after 2000-01-01, ${file}:6)\n`);
    expect(run.stdout).toContain(`  ○ ci.a: known failure: SPC is fixed by design (owner team-scim, until 2999-12-31, ${file}:2)\n`);
    expect(run.stdout).toContain(`  ⚠ stale known entry ${file}:11 (ci.d): the scenario passes now: remove the entry\n`);
    expect(run.stdout).toMatch(/Gate failed: 0 new failures, 1 past expiry, 1 known, 1 stale known entry/);
    expect(read(out, 'summary.md')).toContain(`- ⚠️ stale known entry ${file}:11 \\(ci.d\\)`);
    const result = JSON.parse(read(out, 'result.json')) as RunResult;
    expect(validateResult(result), ajv.errorsText(validateResult.errors)).toBe(true);
    expect(result.gate?.stale).toEqual([{ scenario: 'ci.d', file, line: 11, status: 'passed' }]);

    const renewed = knownFile('renewed.yaml', readFileSync(file, 'utf8').replace('2000-01-01', '2999-01-01'));
    const passing = await cli(['run', after, '--known', renewed, '--reporter', 'console'], dir);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain('Gate passed: 0 new failures, 2 known, 1 stale known entry');
  });

  it('warns of an entry naming a scenario no loaded file has, in every report, not of one merely unselected', async () => {
    const file = knownFile(
      'typo.yaml',
      'known:\n  - scenario: ci.d\n    reason: unselected here\n    owner: qa\n    expires: 2999-12-31\n' +
        '  - scenario: ci.aa\n    reason: a typo\n    owner: qa\n    expires: 2999-12-31\n',
    );
    const out = join(dir, 'typo');
    const run = await cli(['run', after, '--grep', 'ci.a', '--known', file, '--reporter', 'console,json,html,junit,markdown', '--out', out], dir);
    expect(run.code).toBe(1);
    const warning = `known entry ${file}:6 names scenario ci.aa, which no loaded scenario file has: it can never match; check the id (scimulator list)`;
    expect(run.stdout).toContain(`  ⚠ ${warning}\n`);
    expect(run.stdout).not.toContain('names scenario ci.d');
    expect(run.stdout).toMatch(/Gate failed: 1 new failure, 0 known, 1 entry naming no scenario/);
    const result = JSON.parse(read(out, 'result.json')) as RunResult;
    expect(result.gate?.unknown).toEqual([{ scenario: 'ci.aa', file, line: 6 }]);
    expect(validateResult(result), ajv.errorsText(validateResult.errors)).toBe(true);
    expect(read(out, 'summary.md')).toContain(`names scenario ci.aa`);
    expect(read(out, 'report.html')).toContain(`names scenario ci.aa`);
    expect(read(out, 'junit.xml')).toContain(`names scenario ci.aa`);
  });

  it('refuses a file with a mistake before sending anything, naming file:line', async () => {
    const file = knownFile('bad.yaml', 'known:\n  - scenario: ci.a\n    reason: why\n    owner: me\n    expires: next week\n');
    const run = await cli(['run', after, '--known', file], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${file}:5: known[0].expires: expires must be a date written YYYY-MM-DD (the last day the entry holds), got "next week" (--known, docs/known-failures.schema.json)\n`);
  });
});
