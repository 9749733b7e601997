import { createHash } from 'node:crypto';
import type { RunResult, ScenarioResult, Status } from '../harness/result.js';
import { summaryLine } from './console.js';
import { byVerdict, entryWarnings, gateLine, verdictFor, verdictText } from './gate.js';
import { renderCauses } from './html/causes.js';
import { esc, scenarioAnchor } from './html/escape.js';
import { RefLinker } from './refs.js';
import { labelsOf, renderScenario } from './html/scenario.js';
import { renderScorecard } from './html/scorecard.js';
import { interruptedText, leftBehindText } from './run-end.js';
import { SCRIPT } from './html/script.js';
import { STYLE } from './html/style.js';
import { scorecard } from './scorecard.js';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Only the page's own style and script may apply, by hash: should server-controlled text ever get
 * past the escaping, the browser would still run no script of its and load nothing.
 */
const CSP = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

const IDP_LABELS: Record<string, string> = { none: 'Protocol (no IdP)', okta: 'Okta', entra: 'Entra' };

function header(result: RunResult): string {
  const t = result.totals;
  const where = `${result.target.embedded ? `the embedded reference server (${result.target.url})` : result.target.url}${result.target.profile ? `, profile ${result.target.profile}` : ''}`;
  const features = Object.entries(result.target.features)
    .map(([name, on]) => `${name} ${on ? '✓' : '✗'}`)
    .join(' · ');
  const pills = [
    `<span class="pill all">${t.total} scenarios</span>`,
    `<span class="pill pass">${t.passed} passed</span>`,
    `<span class="pill fail">${t.failed} failed</span>`,
    t.errored > 0 ? `<span class="pill fail">${t.errored} could not run</span>` : '',
    t.blocked > 0 ? `<span class="pill block">${t.blocked} blocked</span>` : '',
    `<span class="pill skip">${t.skipped} skipped</span>`,
  ];
  return (
    `<header class="top"><h1>scimulator conformance report</h1>` +
    `<p class="target">Target: ${esc(where)} · ${esc(result.startedAt)} · ${(result.durationMs / 1000).toFixed(1)} s · scimulator ${esc(result.tool.version)}</p>` +
    `<p class="target">Features (${esc(result.target.featureSource)}): ${esc(features || 'none')}</p>` +
    (result.selection.notices ?? []).map((notice) => `<p class="notice" role="note">⚠ ${esc(notice).replace(/`([^`]*)`/g, '<code>$1</code>')}</p>`).join('') +
    [interruptedText(result), leftBehindText(result.leftBehind)].map((note) => (note === undefined ? '' : `<p class="notice" role="note">⚠ ${esc(note)}</p>`)).join('') +
    `<div class="totals">${pills.join('')}</div></header>`
  );
}

/** Each resource the cleanup could not delete, with the scenario that created it and why it stayed. */
function leftBehind(result: RunResult): string {
  const left = result.leftBehind ?? [];
  if (left.length === 0) return '';
  const items = left.map(
    (l) => `<li><code class="line">${esc(l.url)}</code> <span class="muted">(<a href="#${esc(scenarioAnchor(l.scenario))}">${esc(l.scenario)}</a>)</span>: ${esc(l.reason)}</li>`,
  );
  return `<section id="left-behind"><h2>Left on the target</h2><ul>${items.join('')}</ul></section>`;
}

/** What `--known` / `--baseline` decided: the failures that fail the run, those accepted, the fixed, the stale entries. */
function gateSection(result: RunResult): string {
  const gate = result.gate;
  if (!gate) return '';
  const item = (mark: string, id: string, what: string) => `<li>${mark} <a href="#${esc(scenarioAnchor(id))}">${esc(id)}</a>: ${esc(what)}</li>`;
  const items = [
    ...[...byVerdict(gate, 'new'), ...byVerdict(gate, 'expired')].map((f) => item('✗', f.scenario, verdictText(f))),
    ...byVerdict(gate, 'known').map((f) => item('○', f.scenario, verdictText(f))),
    ...gate.fixed.map((id) => item('✓', id, 'fixed: failing in the baseline, passes now')),
    ...entryWarnings(gate).map((warning) => `<li>⚠ ${esc(warning)}</li>`),
  ];
  return `<section id="gate"><h2>Known failures and baseline</h2><p class="notice" role="note">${esc(gateLine(gate))}</p><ul>${items.join('')}</ul></section>`;
}

function options(values: readonly string[], label: (v: string) => string): string {
  return values.map((v) => `<option value="${esc(v)}">${esc(label(v))}</option>`).join('');
}

const STATUS_LABELS: Record<Status, string> = { failed: 'Failed', error: 'Could not run', blocked: 'Blocked', skipped: 'Skipped', passed: 'Passed' };

function controls(scenarios: readonly ScenarioResult[]): string {
  const statuses = (Object.keys(STATUS_LABELS) as Status[]).filter((status) => scenarios.some((s) => s.status === status));
  const idps = [...new Set(scenarios.map((s) => s.idp))].sort();
  const labels = [...new Set(scenarios.flatMap(labelsOf))].sort();
  const afterColon = (v: string) => v.slice(v.indexOf(':') + 1);
  const group = (label: string, prefix: string) => {
    const values = labels.filter((l) => l.startsWith(prefix));
    return values.length > 0 ? `<optgroup label="${label}">${options(values, afterColon)}</optgroup>` : '';
  };
  return (
    `<div class="controls" role="search">` +
    `<label><input type="checkbox" id="failed-only"> Show failed only</label>` +
    `<select id="status-filter" aria-label="Status"><option value="">All statuses</option>${options(statuses, (v) => STATUS_LABELS[v as Status])}</select>` +
    `<select id="idp-filter" aria-label="IdP"><option value="">All IdPs</option>${options(idps, (v) => IDP_LABELS[v] ?? v)}</select>` +
    `<select id="label-filter" aria-label="Requires, covers or tag"><option value="">All requirements, areas and tags</option>` +
    `${group('Requires', 'requires:')}${group('Covers', 'covers:')}${group('Tags', 'tag:')}</select>` +
    `<input type="search" id="search" placeholder="Search ids, titles, refs, messages…" aria-label="Search">` +
    `<span class="chip" id="area-chip" hidden><span id="area-name"></span> <button type="button" id="area-clear" title="Show every area and cause">✕</button></span>` +
    `<button type="button" id="expand-all">Expand all</button><button type="button" id="collapse-all">Collapse all</button>` +
    `<span class="muted" id="shown"></span></div>`
  );
}

/** What shapes the page besides the result. */
export interface HtmlOptions {
  /** Where the package's docs/ folder is published (--docs-url): IdP refs link there instead of to the installed files. */
  docsUrl?: string;
}

/**
 * The HTML report: one self-contained page (inline style and script, nothing fetched; refs are
 * links to follow, not resources) with the root causes first, then the scorecard, then every
 * scenario with its cause, steps, checks, diffs, transcript and curl lines. Every value from the
 * RunResult is escaped: it holds text the target chose.
 */
export function renderHtml(result: RunResult, options: HtmlOptions = {}): string {
  const refs = new RefLinker(options.docsUrl);
  const title = `scimulator${result.interrupted ? ' (interrupted)' : ''}: ${summaryLine(result.totals)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${header(result)}
${leftBehind(result)}
${gateSection(result)}
${renderCauses(result.causes)}
<section id="scorecard"><h2>Scorecard</h2>${renderScorecard(scorecard(result.scenarios))}</section>
<section id="scenarios"><h2>Scenarios</h2>
${controls(result.scenarios)}
${result.scenarios.map((s) => renderScenario(s, refs, verdictFor(result, s.id))).join('\n')}
</section>
<footer>Generated by scimulator ${esc(result.tool.version)} from a ${esc(result.format)} v${esc(result.version)} result. Secrets were redacted when recorded; curl lines read credentials from $SCIM_TOKEN (or $SCIM_USER and $SCIM_PASSWORD).</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
