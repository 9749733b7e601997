import type { RootCause, RunResult, ScenarioResult, Status } from '../harness/result.js';
import { causeText, whyText } from './causes.js';
import { plain } from './console.js';
import { findingList } from './failures.js';
import { code, md } from './markdown.js';

/*
 * What changed between two runs (`scimulator diff OLD NEW`): scenarios newly failing, newly
 * passing, failing with other findings, added and removed, and the root causes behind the newly
 * failing and the newly passing, as the run results list them.
 */

export interface ScenarioChange {
  id: string;
  title: string;
  /** Its status in the old run (absent: the scenario is new) and in the new one. */
  before?: Status;
  after: Status;
  /** Why it fails now (newly failing), or why it failed before (newly passing): its cause, else its reason. */
  why: string;
}

export interface FindingsChange {
  id: string;
  title: string;
  /** The findings only the old run had, and only the new one has. */
  gone: string[];
  came: string[];
}

export interface RunDiff {
  newlyFailing: ScenarioChange[];
  newlyPassing: ScenarioChange[];
  changed: FindingsChange[];
  added: string[];
  removed: string[];
  /** The new run's root causes of the newly failing scenarios, each with those scenarios only. */
  newCauses: RootCause[];
  /** The old run's root causes of the newly passing scenarios, each with those scenarios only (others may still have them). */
  goneCauses: RootCause[];
}

const failing = (s: ScenarioResult) => s.status === 'failed' || s.status === 'error';

const lines = (s: ScenarioResult) => findingList(s).map((f) => (f.step ? `${f.step}: ${f.line}` : f.line));

/** The causes that list any of `ids`, narrowed to them. */
function causesOf(causes: readonly RootCause[], ids: readonly string[]): RootCause[] {
  const wanted = new Set(ids);
  return causes.map((c) => ({ ...c, scenarios: c.scenarios.filter((id) => wanted.has(id)) })).filter((c) => c.scenarios.length > 0);
}

/**
 * Compares by scenario id. Newly failing: failed or errored now, not before (a new scenario
 * included); newly passing: failed or errored before, passed now (skipped or blocked now is
 * neither: the new run cannot tell). Changed: failing in both, with different findings.
 */
export function diffRuns(before: RunResult, after: RunResult): RunDiff {
  const old = new Map(before.scenarios.map((s) => [s.id, s]));
  const now = new Set(after.scenarios.map((s) => s.id));
  const newlyFailing: ScenarioChange[] = [];
  const newlyPassing: ScenarioChange[] = [];
  const changed: FindingsChange[] = [];
  for (const s of after.scenarios) {
    const was = old.get(s.id);
    if (failing(s) && (was === undefined || !failing(was))) newlyFailing.push({ id: s.id, title: s.title, ...(was ? { before: was.status } : {}), after: s.status, why: whyText(s) });
    else if (s.status === 'passed' && was && failing(was)) newlyPassing.push({ id: s.id, title: s.title, before: was.status, after: s.status, why: whyText(was) });
    else if (was && failing(s) && failing(was)) {
      const [a, b] = [lines(was), lines(s)];
      const gone = a.filter((l) => !b.includes(l));
      const came = b.filter((l) => !a.includes(l));
      if (gone.length + came.length > 0) changed.push({ id: s.id, title: s.title, gone, came });
    }
  }
  return {
    newlyFailing,
    newlyPassing,
    changed,
    added: after.scenarios.filter((s) => !old.has(s.id)).map((s) => s.id),
    removed: before.scenarios.filter((s) => !now.has(s.id)).map((s) => s.id),
    newCauses: causesOf(after.causes, newlyFailing.map((c) => c.id)),
    goneCauses: causesOf(before.causes, newlyPassing.map((c) => c.id)),
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `2 newly failing, 1 newly passing, 1 changed, 3 added, 0 removed`. */
export function diffLine(diff: RunDiff): string {
  return [
    `${diff.newlyFailing.length} newly failing`,
    `${diff.newlyPassing.length} newly passing`,
    `${diff.changed.length} with changed failures`,
    `${plural(diff.added.length, 'scenario', 'scenarios')} added`,
    `${diff.removed.length} removed`,
  ].join(', ');
}

/** The diff as plain text lines: one section per kind of change, empty ones left out. */
export function renderDiffText(diff: RunDiff): string {
  const out: string[] = [];
  const section = (title: string, body: string[]) => {
    if (body.length > 0) out.push(title, ...body, '');
  };
  section('Newly failing:', diff.newlyFailing.map((c) => `  ✗ ${c.id}${c.before ? '' : ' (new scenario)'}: ${c.why}`));
  section('Root causes of the new failures:', diff.newCauses.map((c) => `  ${causeText(c)} — ${c.scenarios.join(', ')}`));
  section('Newly passing:', diff.newlyPassing.map((c) => `  ✓ ${c.id} (was ${c.before}: ${c.why})`));
  section('Root causes of the fixed failures:', diff.goneCauses.map((c) => `  ${causeText(c)} — ${c.scenarios.join(', ')}`));
  section(
    'Failing with changed findings:',
    diff.changed.flatMap((c) => [`  ~ ${c.id}`, ...c.gone.map((l) => `      - ${l}`), ...c.came.map((l) => `      + ${l}`)]),
  );
  section('Added:', diff.added.map((id) => `  + ${id}`));
  section('Removed:', diff.removed.map((id) => `  - ${id}`));
  out.push(diffLine(diff));
  // Findings quote what the target said: a terminal escape in it is shown, never sent.
  return plain(out.join('\n'));
}

/** Findings listed per changed scenario at most: a PR comment stays short. */
const MAX_LINES = 5;

/** The diff as Markdown for a pull-request comment: the same sections, text from the runs escaped. */
export function renderDiffMarkdown(diff: RunDiff): string {
  const verdict = diff.newlyFailing.length > 0 ? '❌' : '✅';
  const out = [`## ${verdict} scimulator diff: ${md(diffLine(diff))}`, ''];
  const section = (title: string, body: string[]) => {
    if (body.length > 0) out.push(`### ${title}`, '', ...body, '');
  };
  const causes = (list: readonly RootCause[]) => list.map((c) => `- ${md(causeText(c))} — ${c.scenarios.map(code).join(', ')}`);
  section('Newly failing', diff.newlyFailing.map((c) => `- ❌ ${code(c.id)}${c.before ? '' : ' (new scenario)'}: ${md(c.why)}`));
  section('Root causes of the new failures', causes(diff.newCauses));
  section('Newly passing', diff.newlyPassing.map((c) => `- ✅ ${code(c.id)} (was ${c.before}: ${md(c.why)})`));
  section('Root causes of the fixed failures', causes(diff.goneCauses));
  const cut = (list: readonly string[], mark: string) => [
    ...list.slice(0, MAX_LINES).map((l) => `  - ${mark} ${md(l)}`),
    ...(list.length > MAX_LINES ? [`  - …and ${list.length - MAX_LINES} more`] : []),
  ];
  section('Failing with changed findings', diff.changed.flatMap((c) => [`- ${code(c.id)}`, ...cut(c.gone, 'before:'), ...cut(c.came, 'now:')]));
  section('Added', diff.added.length ? [diff.added.map(code).join(', ')] : []);
  section('Removed', diff.removed.length ? [diff.removed.map(code).join(', ')] : []);
  return `${out.join('\n')}\n`;
}
