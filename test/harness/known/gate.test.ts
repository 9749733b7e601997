import { describe, expect, it } from 'vitest';
import type { KnownEntry } from '../../../harness/known/file.js';
import { baselineOf, gateRun } from '../../../harness/known/gate.js';
import { mergeGates } from '../../../harness/known/merge.js';
import { run, scenario } from './runs.js';

const entry = (over: Partial<KnownEntry> & Pick<KnownEntry, 'scenario'>): KnownEntry => ({ reason: 'accepted', owner: 'team', expires: '2026-12-31', file: 'known.yaml', line: 1, ...over });
const known = (...entries: KnownEntry[]) => ({ file: 'known.yaml', entries });
const verdicts = (gate: ReturnType<typeof gateRun>) => Object.fromEntries(gate.failures.map((f) => [f.scenario, f.verdict]));

const TWO_CHECKS = [
  { step: 'create ada', what: 'status', message: 'expected status 201, got 400' },
  { step: 'deactivate ada', what: 'body active', message: 'expected false, got true' },
];

describe('gateRun with a known-failures file', () => {
  it('accepts a failure an entry covers and fails the run on one it does not', () => {
    const gate = gateRun(run([scenario('a', 'failed'), scenario('b', 'failed'), scenario('c', 'passed')]), known(entry({ scenario: 'a', ticket: 'https://t.example/1' })), undefined);
    expect(verdicts(gate)).toEqual({ a: 'known', b: 'new' });
    expect(gate.failures[0]).toEqual({ scenario: 'a', verdict: 'known', reason: 'accepted', source: { kind: 'known', file: 'known.yaml', line: 1 }, owner: 'team', ticket: 'https://t.example/1', expires: '2026-12-31' });
    expect(gate.passed).toBe(false);
    expect(gateRun(run([scenario('a', 'failed'), scenario('c', 'passed')]), known(entry({ scenario: 'a' })), undefined).passed).toBe(true);
  });

  it('accepts an errored scenario too', () => {
    expect(verdicts(gateRun(run([scenario('a', 'error')]), known(entry({ scenario: 'a' })), undefined))).toEqual({ a: 'known' });
  });

  it('narrows by step name or by text of the finding: every finding must be covered', () => {
    const failing = () => run([scenario('a', 'failed', TWO_CHECKS)]);
    expect(verdicts(gateRun(failing(), known(entry({ scenario: 'a', check: 'create ada' }), entry({ scenario: 'a', check: 'expected false' })), undefined))).toEqual({ a: 'known' });
    const partly = gateRun(failing(), known(entry({ scenario: 'a', check: 'got 400' })), undefined);
    expect(partly.failures).toEqual([{ scenario: 'a', verdict: 'new', uncovered: ['deactivate ada: body active: expected false, got true'] }]);
    expect(partly.stale).toEqual([]);
  });

  it('holds an entry through its expires day, and fails the run from the day after, naming the entry', () => {
    const failing = (day: string) => run([scenario('a', 'failed')], day);
    expect(gateRun(failing('2026-12-31'), known(entry({ scenario: 'a' })), undefined).passed).toBe(true);
    const late = gateRun(failing('2027-01-01'), known(entry({ scenario: 'a', line: 7 })), undefined);
    expect(late.failures).toMatchObject([{ scenario: 'a', verdict: 'expired', expires: '2026-12-31', source: { file: 'known.yaml', line: 7 } }]);
    expect(late.passed).toBe(false);
    // One entry in force is enough, and an expired entry fails the run even when the baseline had the failure.
    expect(gateRun(failing('2027-01-01'), known(entry({ scenario: 'a' }), entry({ scenario: 'a', expires: '2027-06-30' })), undefined).passed).toBe(true);
    expect(verdicts(gateRun(failing('2027-01-01'), known(entry({ scenario: 'a' })), baselineOf('old.json', run([scenario('a', 'failed')]))))).toEqual({ a: 'expired' });
  });

  it('reports as stale the entries of scenarios that pass, or fail otherwise; not of scenarios skipped or not run', () => {
    const result = run([scenario('a', 'passed'), scenario('b', 'failed', TWO_CHECKS), scenario('c', 'skipped'), scenario('d', 'blocked')]);
    const entries = [entry({ scenario: 'a', line: 1 }), entry({ scenario: 'b', check: 'nickName', line: 6 }), entry({ scenario: 'c', line: 11 }), entry({ scenario: 'd', line: 16 }), entry({ scenario: 'z', line: 21 })];
    const gate = gateRun(result, known(...entries), undefined);
    expect(gate.stale).toEqual([
      { scenario: 'a', file: 'known.yaml', line: 1, status: 'passed' },
      { scenario: 'b', check: 'nickName', file: 'known.yaml', line: 6, status: 'failed' },
    ]);
    expect(verdicts(gate)).toEqual({ b: 'new' });
    expect(gate.unknown).toBeUndefined();
  });

  it('lists the entries naming a scenario none of the loaded files has, not those merely unselected', () => {
    const entries = [entry({ scenario: 'a', line: 1 }), entry({ scenario: 'unselected', line: 6 }), entry({ scenario: 'typo', check: 'status', line: 11 })];
    const gate = gateRun(run([scenario('a', 'failed')]), known(...entries), undefined, new Set(['a', 'unselected']));
    expect(gate.unknown).toEqual([{ scenario: 'typo', check: 'status', file: 'known.yaml', line: 11 }]);
    expect(gate.stale).toEqual([]);
    expect(gate.passed).toBe(true);
    expect(gateRun(run([scenario('a', 'failed')]), known(entries[0]!, entries[1]!), undefined, new Set(['a', 'unselected']))).not.toHaveProperty('unknown');
  });
});

describe('gateRun with a baseline', () => {
  it('accepts what failed in the baseline, fails on new failures, lists the fixed', () => {
    const baseline = baselineOf('old.json', run([scenario('a', 'failed'), scenario('b', 'error'), scenario('c', 'passed'), scenario('d', 'failed')]));
    const gate = gateRun(run([scenario('a', 'failed'), scenario('b', 'passed'), scenario('c', 'failed'), scenario('d', 'skipped'), scenario('e', 'failed')]), undefined, baseline);
    expect(verdicts(gate)).toEqual({ a: 'known', c: 'new', e: 'new' });
    expect(gate.failures[0]).toEqual({ scenario: 'a', verdict: 'known', reason: 'failing in the baseline', source: { kind: 'baseline', file: 'old.json' } });
    expect(gate.fixed).toEqual(['b']);
    expect(gate.sources).toEqual([{ kind: 'baseline', file: 'old.json' }]);
    expect(gate.passed).toBe(false);
  });

  it('passes a run whose failures all failed before', () => {
    const gate = gateRun(run([scenario('a', 'failed')]), known(), baselineOf('old.json', run([scenario('a', 'failed', TWO_CHECKS)])));
    expect(gate).toMatchObject({ passed: true, fixed: [], stale: [], sources: [{ kind: 'known' }, { kind: 'baseline' }] });
  });
});

describe('mergeGates', () => {
  it('joins the shards\' gates, and gives none unless every shard was gated', () => {
    const baseline = baselineOf('old.json', run([scenario('a', 'failed'), scenario('b', 'failed')]));
    const one = { ...run([scenario('a', 'failed')]), gate: gateRun(run([scenario('a', 'failed')]), undefined, baseline) };
    const two = { ...run([scenario('b', 'passed'), scenario('c', 'failed')]), gate: gateRun(run([scenario('b', 'passed'), scenario('c', 'failed')]), undefined, baseline) };
    expect(mergeGates([one, two])).toEqual({
      sources: [{ kind: 'baseline', file: 'old.json' }],
      failures: [
        { scenario: 'a', verdict: 'known', reason: 'failing in the baseline', source: { kind: 'baseline', file: 'old.json' } },
        { scenario: 'c', verdict: 'new' },
      ],
      stale: [],
      fixed: ['b'],
      passed: false,
    });
    expect(mergeGates([one, run([scenario('d', 'passed')])])).toBeUndefined();
  });

  it('lists an entry naming no loaded scenario once, though every shard finds it', () => {
    const typo = known(entry({ scenario: 'typo', line: 3 }));
    const shard = (id: string) => ({ ...run([scenario(id, 'passed')]), gate: gateRun(run([scenario(id, 'passed')]), typo, undefined, new Set(['a', 'b'])) });
    expect(mergeGates([shard('a'), shard('b')])?.unknown).toEqual([{ scenario: 'typo', file: 'known.yaml', line: 3 }]);
  });
});
