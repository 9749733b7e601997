import type { CheckResult, GateFailure, ScenarioResult, StepResult } from '../../harness/result.js';
import { causeText, whyText } from '../causes.js';
import { errorsOf, failingChecks, findingsOf } from '../failures.js';
import { verdictText } from '../gate.js';
import { injectedAt } from '../injected.js';
import { areasOf } from '../scorecard.js';
import { causeBody } from './causes.js';
import { renderDiff } from './diff.js';
import { dataList, esc, scenarioAnchor } from './escape.js';
import { renderOutcomes, renderTimeline } from './idp.js';
import type { RefLinker } from '../refs.js';
import { exchangeAnchor, renderTranscript } from './transcript.js';

const MARKS: Record<ScenarioResult['status'], string> = { passed: '✓', failed: '✗', error: '!', skipped: '–', blocked: '~' };

function checkBlock(check: CheckResult, s: ScenarioResult, anchor: string, refs: RefLinker): string {
  const mark = check.passed ? '✓' : '✗';
  const ref = check.ref ? ` <span class="ref">${refs.html(check.ref)}</span>` : '';
  const injected = injectedAt(s, check.exchange);
  const link =
    check.exchange !== undefined
      ? ` <a href="#${esc(exchangeAnchor(anchor, check.exchange))}">request #${check.exchange}</a>${injected === undefined ? '' : ` <span class="injected">${esc(injected)}</span>`}`
      : '';
  const consequence = check.consequence && !check.passed;
  const label = consequence ? '<span class="tag-consequence" title="follows from the scenario’s cause">consequence</span> ' : '';
  const head = `<span class="mark">${mark}</span> ${label}<b>${esc(check.what)}</b>: ${esc(check.message)}${ref}${link}`;
  const cls = `check ${check.passed ? 'passed' : 'failed'}${consequence ? ' consequence' : ''}`;
  const compared = check.expected !== undefined || check.actual !== undefined;
  if (!compared) return `<li class="${cls}"><div>${head}</div></li>`;
  // A passing comparison, or one that only follows from the cause, is there to look at, not to read first.
  if (check.passed || consequence) return `<li class="${cls}"><details><summary>${head}</summary>${renderDiff(check.expected, check.actual)}</details></li>`;
  return `<li class="${cls}"><div>${head}</div>${renderDiff(check.expected, check.actual)}</li>`;
}

function stepBlock(step: StepResult, s: ScenarioResult, anchor: string, refs: RefLinker): string {
  const error = step.error ? `<p class="error">${esc(step.error)}</p>` : '';
  const checks = step.checks.length > 0 ? `<ul class="checks">${step.checks.map((c) => checkBlock(c, s, anchor, refs)).join('')}</ul>` : '';
  return (
    `<li class="step st-${esc(step.status)}"><div class="step-head"><span class="mark">${MARKS[step.status] ?? '?'}</span> ` +
    `${esc(step.name)} <span class="muted">${Math.round(step.durationMs)} ms</span></div>${error}${checks}</li>`
  );
}

/** The scenario's particulars as a definition list; refs are the one row of HTML, their citations linked. */
function metaBlock(s: ScenarioResult, refs: RefLinker): string {
  const rows: [string, string][] = [
    ['file', esc(s.file)],
    ['IdP', esc(s.idp)],
    ['refs', s.refs.map((r) => refs.html(r)).join(' · ')],
    ['variant', esc(s.variant?.title ?? '')],
    ['requires', esc(s.requires.join(', '))],
    ['covers', esc(s.covers.join(', '))],
    ['tags', esc(s.tags.join(', '))],
  ];
  if (s.reason) rows.unshift([s.status === 'skipped' || s.status === 'blocked' ? s.status : 'reason', esc(s.reason)]);
  return `<dl class="meta">${rows.filter(([, v]) => v !== '').map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/** What the page's filters match on: what it requires, what it covers and its tags, prefixed to tell them apart. */
export function labelsOf(s: ScenarioResult): string[] {
  return [...s.requires.map((f) => `requires:${f}`), ...s.covers.map((c) => `covers:${c}`), ...s.tags.map((t) => `tag:${t}`)];
}

function searchText(s: ScenarioResult): string {
  const problems = [s.cause ? causeText(s.cause) : '', ...errorsOf(s), ...failingChecks(s).map(({ check }) => `${check.what} ${check.message}`)];
  return [s.id, s.title, s.status, s.file, s.reason ?? '', s.variant?.title ?? '', ...s.refs, ...labelsOf(s), ...problems].join('\n').toLowerCase();
}

/** Why a scenario did not pass, in one line: its cause with the server's answer, else its first finding or error. */
function whyLine(s: ScenarioResult): string {
  const first = findingsOf(s).findings[0];
  return whyText(s) || (first ? `${first.check.what}: ${first.check.message}` : (errorsOf(s)[0] ?? ''));
}

/** One scenario: a collapsible block whose id is the deep-link anchor `scenario-<id>`; `refs` links what it cites. */
/** How the gate (`run --known` / `--baseline`) labels a failure beside its status. */
const VERDICT_LABELS: Record<GateFailure['verdict'], string> = { known: 'known failure', expired: 'known failure past its expiry', new: 'new failure' };

export function renderScenario(s: ScenarioResult, refs: RefLinker, verdict?: GateFailure): string {
  const anchor = scenarioAnchor(s.id);
  // What the cause and the failing checks point at starts open.
  const pointed = [s.cause?.exchange, ...failingChecks(s).map(({ check }) => check.exchange)];
  const failing = new Set(pointed.filter((seq): seq is number => seq !== undefined));
  const sections = [metaBlock(s, refs)];
  if (s.cause) sections.unshift(`<div class="cause-box st-${esc(s.status)}"><span class="label">cause</span> ${causeBody(s.cause)}</div>`);
  if (verdict) sections.unshift(`<p class="notice" role="note">${esc(verdictText(verdict))}</p>`);
  if (s.steps.length > 0) sections.push(`<h4>Steps</h4><ol class="steps">${s.steps.map((step) => stepBlock(step, s, anchor, refs)).join('')}</ol>`);
  if (s.outcomes.length > 0) sections.push(`<h4>What the IdP said</h4>${renderOutcomes(s.outcomes)}`);
  const timeline = s.idp === 'none' ? undefined : renderTimeline(s.exchanges, s.outcomes, s.steps);
  if (timeline) sections.push(`<h4>Virtual clock</h4>${timeline}`);
  if (s.status !== 'skipped') sections.push(`<h4>Transcript <span class="muted">(${s.exchanges.length} requests)</span></h4>${renderTranscript(s.exchanges, anchor, failing)}`);
  const attrs = [
    `class="scenario st-${esc(s.status)}"`,
    `id="${esc(anchor)}"`,
    `data-status="${esc(s.status)}"`,
    `data-idp="${esc(s.idp)}"`,
    `data-cause="${esc(s.cause?.key ?? '')}"`,
    dataList('labels', labelsOf(s)),
    dataList('rows', areasOf(s).map((a) => a.row.key)),
    `data-text="${esc(searchText(s))}"`,
  ];
  const summary =
    `<span class="mark">${MARKS[s.status] ?? '?'}</span> <span class="sid">${esc(s.id)}</span> <span class="stitle">${esc(s.title)}</span> ` +
    `<span class="muted">${s.status === 'skipped' || s.status === 'blocked' ? s.status : `${Math.round(s.durationMs)} ms`}${verdict ? ` · ${VERDICT_LABELS[verdict.verdict]}` : ''}</span> <a class="permalink" href="#${esc(anchor)}" title="Link to this scenario">#</a>`;
  // Collapsed, a scenario that did not pass still says why, in one line cut to the width (whole on hover).
  const why = s.status === 'passed' ? '' : whyLine(s);
  const whyHtml = why === '' ? '' : `<span class="why" title="${esc(why)}">${esc(why)}</span>`;
  return `<details ${attrs.join(' ')}><summary>${summary}${whyHtml}</summary><div class="scenario-body">${sections.join('')}</div></details>`;
}
