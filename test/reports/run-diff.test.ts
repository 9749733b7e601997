import { describe, expect, it } from 'vitest';
import { diffRuns, renderDiffMarkdown, renderDiffText } from '../../reports/run-diff.js';
import { run, scenario } from '../harness/known/runs.js';

const OTHER = [{ step: 'GET /Users', what: 'status', message: 'expected status 200, got 503' }];

describe('diffRuns', () => {
  const before = run([scenario('same', 'failed'), scenario('fixed', 'failed'), scenario('broke', 'passed'), scenario('moved', 'failed'), scenario('gone', 'passed'), scenario('now-skipped', 'failed')]);
  const after = run([scenario('same', 'failed'), scenario('fixed', 'passed'), scenario('broke', 'failed', OTHER), scenario('moved', 'failed', OTHER), scenario('fresh', 'error'), scenario('now-skipped', 'skipped')]);
  const diff = diffRuns(before, after);

  it('lists newly failing (new scenarios included), newly passing, changed findings, added and removed', () => {
    expect(diff.newlyFailing.map((c) => [c.id, c.before, c.after])).toEqual([
      ['broke', 'passed', 'failed'],
      ['fresh', undefined, 'error'],
    ]);
    expect(diff.newlyPassing.map((c) => [c.id, c.before, c.why])).toEqual([['fixed', 'failed', 'cause of fixed']]);
    expect(diff.changed).toEqual([{ id: 'moved', title: 'Scenario moved', gone: ['GET /Users: status: expected status 200, got 500'], came: ['GET /Users: status: expected status 200, got 503'] }]);
    expect(diff.added).toEqual(['fresh']);
    expect(diff.removed).toEqual(['gone']);
  });

  it('gives the root causes behind the newly failing and the newly passing, narrowed to them', () => {
    expect(diff.newCauses.map((c) => [c.summary, c.scenarios])).toEqual([['cause of broke', ['broke']]]);
    expect(diff.goneCauses.map((c) => c.scenarios)).toEqual([['fixed']]);
  });

  it('renders each section, as text and as Markdown', () => {
    const text = renderDiffText(diff);
    expect(text).toContain('Newly failing:\n  ✗ broke: cause of broke\n  ✗ fresh (new scenario): could not reach the target');
    expect(text).toContain('Newly passing:\n  ✓ fixed (was failed: cause of fixed)');
    expect(text).toContain('  ~ moved\n      - GET /Users: status: expected status 200, got 500\n      + GET /Users: status: expected status 200, got 503');
    expect(text.split('\n').at(-1)).toBe('2 newly failing, 1 newly passing, 1 with changed failures, 1 scenario added, 1 removed');
    const markdown = renderDiffMarkdown(diff);
    expect(markdown).toMatch(/^## ❌ scimulator diff: 2 newly failing/);
    expect(markdown).toContain('- ❌ `broke`: cause of broke');
    expect(markdown).toContain('### Removed\n\n`gone`');
  });

  it('is empty between a run and itself', () => {
    expect(renderDiffText(diffRuns(after, after))).toBe('0 newly failing, 0 newly passing, 0 with changed failures, 0 scenarios added, 0 removed');
  });
});
