import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/result.js';
import { startFaultyTarget, type FaultyTarget } from '../harness/runner/faulty-target.js';
import { cli, ROOT } from './compiled-cli.js';

const DISCOVERY = join(ROOT, 'scenarios/rfc7644/discovery');
const ALL = 'console,json,html,junit,markdown';

let dir: string;
let faulty: FaultyTarget;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-report-'));
  faulty = await startFaultyTarget('plain-text-errors');
});

afterAll(async () => {
  await faulty?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const readResult = (folder: string) => JSON.parse(readFileSync(join(folder, 'result.json'), 'utf8')) as RunResult;
const against = () => ['--target', faulty.url, '--token', faulty.token];

describe('scimulator run, every reporter', () => {
  it('writes all formats for a run with failures, and says where on stderr', async () => {
    const out = join(dir, 'all');
    const run = await cli(['run', DISCOVERY, ...against(), '--reporter', ALL, '--out', out], dir);
    expect(run.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'summary.md']);
    for (const line of ['JSON result', 'HTML report', 'JUnit XML', 'Markdown summary']) expect(run.stderr).toContain(`${line} written to ${out}/`);
    expect(run.stdout).toMatch(/Failures:/);

    const result = readResult(out);
    expect(result.totals.failed).toBeGreaterThan(0);
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites;
    expect(Number(suites['@_tests'])).toBe(result.totals.total);
    expect(Number(suites['@_failures'])).toBe(result.totals.failed);
    const failed = result.scenarios.find((s) => s.status === 'failed')!;
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`(report.html#scenario-${failed.id})`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`id="scenario-${failed.id}"`);
  });
});

describe('scimulator run --shard and scimulator report', () => {
  it('merging the N shards of a run gives the same scenarios and counts as the whole run', async () => {
    const whole = join(dir, 'whole');
    expect((await cli(['run', DISCOVERY, ...against(), '--reporter', 'json', '--out', whole], dir)).code).toBe(1);
    const shards = [1, 2, 3].map((k) => join(dir, `shard-${k}`));
    const runs = await Promise.all(shards.map((out, i) => cli(['run', DISCOVERY, ...against(), '--shard', `${i + 1}/3`, '--reporter', 'json', '--out', out], dir)));
    for (const run of runs) expect(run.stderr).not.toMatch(/Error/);

    const ids = shards.map((s) => readResult(s).scenarios.map((r) => r.id));
    expect(new Set(ids.flat()).size).toBe(ids.flat().length);
    for (const part of ids) expect(part.length).toBeGreaterThan(0);

    const merged = join(dir, 'merged');
    const report = await cli(['report', ...shards.map((s) => join(s, 'result.json')), '--reporter', 'json,junit,markdown,html', '--out', merged], dir);
    expect(report.stderr).toContain('HTML report written to');
    expect(report.code).toBe(0);
    const all = readResult(whole);
    const sum = readResult(merged);
    expect(sum.totals).toEqual(all.totals);
    expect(sum.scenarios.map((s) => s.id).sort()).toEqual(all.scenarios.map((s) => s.id).sort());
    expect(sum.target).toEqual(readResult(shards[0]!).target);
    expect(readFileSync(join(merged, 'summary.md'), 'utf8').split('\n')[0]).toContain(`${all.totals.passed} passed, ${all.totals.failed} failed`);
  });

  it('re-renders a saved result exactly as the run rendered it', async () => {
    const out = join(dir, 'again');
    await cli(['run', DISCOVERY, ...against(), '--reporter', 'json,html,junit', '--out', out], dir);
    const rendered = join(dir, 'again-report');
    expect((await cli(['report', join(out, 'result.json'), '--reporter', 'html,junit', '--out', rendered], dir)).code).toBe(0);
    for (const file of ['report.html', 'junit.xml']) expect(readFileSync(join(rendered, file), 'utf8')).toBe(readFileSync(join(out, file), 'utf8'));
  });

  /** A current result, run once for the tests that turn it into an older one. */
  let run: Promise<RunResult> | undefined;
  const currentResult = () =>
    (run ??= (async () => {
      const out = join(dir, 'v3');
      expect((await cli(['run', DISCOVERY, ...against(), '--reporter', 'json', '--out', out], dir)).code).toBe(1);
      return readResult(out);
    })());
  /** Protocol scenarios as versions 1 and 2 wrote them: `features` for what they require, nothing for what they cover. */
  const withFeatures = (result: RunResult) => result.scenarios.map(({ requires, covers: _covers, variant: _variant, ...s }) => ({ ...s, features: requires }));

  it('reads a version 1 result: nothing blocked, the root causes recomputed', async () => {
    const current = await currentResult();
    const { causes: _causes, ...rest } = current;
    const { blocked: _blocked, ...totals } = current.totals;
    const v1 = { ...rest, version: 1, totals, scenarios: withFeatures(current).map(({ cause: _cause, ...s }) => s) };
    const file = join(dir, 'v1.json');
    writeFileSync(file, JSON.stringify(v1));
    const upgraded = join(dir, 'v1-upgraded');
    const report = await cli(['report', file, '--reporter', 'json,console', '--out', upgraded], dir);
    expect(report.code, report.stderr).toBe(0);
    const read = readResult(upgraded);
    expect(read.version).toBe(3);
    expect(read.totals).toEqual({ ...current.totals, blocked: 0 });
    expect(read.causes.map((c) => [c.effect, c.scenarios])).toEqual(current.causes.map((c) => [c.effect, c.scenarios]));
    expect(read.scenarios.map((s) => [s.id, s.requires, s.covers])).toEqual(current.scenarios.map((s) => [s.id, s.requires, s.covers]));
    expect(report.stdout.split('\n').find((l) => l !== '')).toBe('Root causes:');
  });

  it("reads a version 2 result: each scenario's features split into what it requires and what it covers, IdP scenarios sectioned by IdP", async () => {
    const current = await currentResult();
    const scenarios = withFeatures(current);
    scenarios[0] = { ...scenarios[0]!, idp: 'okta', features: ['filter', 'okta.pushGroups', 'okta.createUsers'] };
    const file = join(dir, 'v2.json');
    writeFileSync(file, JSON.stringify({ ...current, version: 2, scenarios }));
    const upgraded = join(dir, 'v2-upgraded');
    const report = await cli(['report', file, '--reporter', 'json,markdown', '--out', upgraded], dir);
    expect(report.code, report.stderr).toBe(0);
    const read = readResult(upgraded);
    expect(read.version).toBe(3);
    expect(read.scenarios[0]).toMatchObject({ requires: ['filter'], covers: ['pushGroups', 'createUsers'] });
    expect(read.scenarios[0]).not.toHaveProperty('features');
    expect(read.scenarios[0]).not.toHaveProperty('variant');
    expect(read.scenarios.slice(1).map((s) => [s.requires, s.covers])).toEqual(current.scenarios.slice(1).map((s) => [s.requires, s.covers]));
    const summary = readFileSync(join(upgraded, 'summary.md'), 'utf8');
    expect(summary).toMatch(/\| okta \| pushGroups \|/);
    expect(summary).toMatch(/\| RFC 7644 areas \| discovery \|/);
  });

  it('refuses a scenario present in several inputs, naming the files', async () => {
    const out = join(dir, 'dup');
    await cli(['run', DISCOVERY, '--grep', 'service-provider-config', '--reporter', 'json', '--out', out], dir);
    const file = join(out, 'result.json');
    const copy = join(dir, 'dup-copy.json');
    writeFileSync(copy, readFileSync(file));
    const report = await cli(['report', file, copy, '--out', join(dir, 'dup-out')], dir);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`rfc7644.discovery.service-provider-config (in ${file} and ${copy})`);
  });

  it.each([
    ['another version', { format: 'scimulator-run', version: 4, scenarios: [] }, /a version 4 result; this scimulator reads versions 1 to 3/],
    ['another format', { format: 'junit', version: 1 }, /not a scimulator run result \(its format is "junit"\)/],
    ['a damaged result', { format: 'scimulator-run', version: 1, scenarios: [{}] }, /missing or damaged parts/],
  ])('refuses %s with exit 2', async (name, content, message) => {
    const file = join(dir, `${name.replace(/\s/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(content));
    const report = await cli(['report', file, '--out', join(dir, 'refused')], dir);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(message);
    expect(report.stderr).toContain(file);
  });

  it('refuses a file that is not there or not JSON, with exit 2', async () => {
    const text = join(dir, 'text.json');
    writeFileSync(text, 'hello');
    const notJson = await cli(['report', text], dir);
    expect([notJson.code, notJson.stderr]).toEqual([2, expect.stringMatching(/text\.json: not JSON/)]);
    const missing = await cli(['report', join(dir, 'nope.json')], dir);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/nope\.json: cannot read the file \(ENOENT\)/)]);
  });

  it.each([
    ['2', /--shard must look like K\/N/],
    ['a/b', /--shard must look like K\/N/],
    ['0/3', /K must be between 1 and 3/],
    ['4/3', /K must be between 1 and 3/],
    ['1/0', /N must be 1 or more/],
  ])('run --shard %s is a usage mistake (exit 2)', async (shard, message) => {
    const run = await cli(['run', DISCOVERY, '--shard', shard], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('runs an empty shard, saying so, so that all N shards can be merged', async () => {
    const run = await cli(['run', DISCOVERY, '--grep', 'service-provider-config', '--shard', '2/2', '--reporter', 'json', '--out', join(dir, 'empty')], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Shard 2/2 has no scenario: the selection has only 1.');
    expect(readResult(join(dir, 'empty')).totals.total).toBe(0);
  });
});

describe('scimulator report, a set of shards that is not one whole run', () => {
  // Against the embedded server; three scenarios: shard 1/2 holds two, shard 2/2 one.
  const SELECTION = ['--tag', 'schemas', '--exclude-tag', 'strict'];
  const NOTICE_1 = 'Shard 2 of 2 is not in this report: 1 of the 3 scenarios selected with --tag schemas --exclude-tag strict.';
  const shard = (k: number) => join(dir, `sel-${k}`, 'result.json');
  const other = () => join(dir, 'other-2', 'result.json');
  const report = (inputs: string[], out: string) => cli(['report', ...inputs, '--reporter', `${ALL}`, '--out', join(dir, out)], dir);

  beforeAll(async () => {
    const runs = await Promise.all([
      ...[1, 2].map((k) => cli(['run', DISCOVERY, ...SELECTION, '--shard', `${k}/2`, '--reporter', 'json', '--out', join(dir, `sel-${k}`)], dir)),
      cli(['run', DISCOVERY, '--tag', 'service-provider-config', '--shard', '2/2', '--reporter', 'json', '--out', join(dir, 'other-2')], dir),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
  }, 60_000);

  it('1 of 2: writes the reports, exit 0, and says which shard is missing on stderr and in every format', async () => {
    const run = await report([shard(1)], 'one-of-two');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Warning: ${NOTICE_1} To report on every scenario, give \`scimulator report\` the result.json of every shard.`);
    expect(run.stdout).toContain(`⚠ ${NOTICE_1}`);
    const out = join(dir, 'one-of-two');
    const result = readResult(out);
    expect(result.selection).toMatchObject({ tags: ['schemas'], excludeTags: ['strict'], shard: { index: 1, count: 2 }, size: 3, notices: [expect.stringContaining(NOTICE_1)] });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<p class="notice" role="note">⚠ Shard 2 of 2 is not in this report: 1 of the 3 scenarios selected .*<code>scimulator report<\/code>/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`> ⚠️ ${NOTICE_1} To report on every scenario, give \`scimulator report\` the result.json`);
    const suites = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8')).testsuites;
    const first = [suites.testsuite].flat()[0];
    expect(first.properties.property['@_name']).toBe('scimulator.notice');
    expect(first.properties.property['@_value']).toContain(NOTICE_1);
  });

  it('2 of 2: names shard 1 and the two scenarios it holds', async () => {
    const run = await report([shard(2)], 'two-of-two');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Warning: Shard 1 of 2 is not in this report: 2 of the 3 scenarios selected with --tag schemas --exclude-tag strict.');
  });

  it('1 + 2: the whole selection, with no notice anywhere', async () => {
    const run = await report([shard(1), shard(2)], 'both');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('Warning');
    const out = join(dir, 'both');
    const result = readResult(out);
    expect(result.totals.total).toBe(3);
    expect(result.selection).toEqual({
      files: [DISCOVERY],
      tags: ['schemas'],
      excludeTags: ['strict'],
      size: 3,
      fingerprint: readResult(join(dir, 'sel-1')).selection.fingerprint,
      shards: { count: 2, merged: [1, 2], missing: [], missingScenarios: 0 },
    });
    for (const file of ['report.html', 'summary.md', 'junit.xml']) expect(readFileSync(join(out, file), 'utf8')).not.toContain('not in this report');
    expect(run.stdout).not.toContain('⚠');
  });

  it('1 + 1: overlapping shards are refused with exit 2, naming both files', async () => {
    const copy = join(dir, 'sel-1-copy.json');
    writeFileSync(copy, readFileSync(shard(1)));
    const run = await report([shard(1), copy], 'twice');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Shard 1/2 is in more than one result: ${shard(1)} and ${copy}. Give the result.json of each shard once.`);
    expect(readdirSync(dir)).not.toContain('twice');
  });

  it('shards of different selections: merged with a warning and a notice naming both', async () => {
    const run = await report([shard(1), other()], 'mixed');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'Warning: These results are shards of 2 different selections, merged into one report: ' +
        `shard 1 of 2 of the 3 scenarios selected with --tag schemas --exclude-tag strict (${shard(1)}); ` +
        `shard 2 of 2 of the 2 scenarios selected with --tag service-provider-config (${other()}).`,
    );
    const { selection } = readResult(join(dir, 'mixed'));
    expect(selection.fingerprint).toBeUndefined();
    expect(selection.notices).toEqual([expect.stringContaining('different selections'), expect.stringContaining(NOTICE_1), expect.stringContaining('Shard 1 of 2 is not')]);
  });
});
