import type { ScenarioResult, Status, Totals } from '../harness/result.js';

/*
 * The scorecard: how a target fares, area by area. Areas come from the scenario ids, which the
 * library keeps in the shape `<family>.<group>.<name>`:
 *
 * - `okta.<variant>.…`: one section per integration variant (OIN, AIW), one row per To App
 *   feature the scenario needs (its `okta.<feature>` features);
 * - `entra.<dialect>.…`: one section per dialect (e.g. with or without `aadOptscim062020`), one row
 *   per capability (its `entra.<capability>` features);
 * - `rfc7644.<area>.…` (any `rfcNNNN`): one section per RFC, one row per area (users, filter, patch…);
 * - anything else: the section "Other", one row per first id segment.
 *
 * An IdP scenario without IdP features is counted under the first word of the id's third segment
 * (`okta.oin.deactivate-on-unassign` → deactivate, `okta.aiw.groups.rename` → groups), or under
 * "general" when the id has no third segment. A scenario
 * needing several features counts in each of their rows: a feature row says whether everything
 * that needs the feature works.
 */

export interface ScoreRow extends Totals {
  /** Unique across the scorecard: the HTML report filters scenarios by it. */
  key: string;
  label: string;
  /** Failed when any scenario failed or could not run; passed when any passed; blocked when any was blocked; else skipped. */
  status: 'passed' | 'failed' | 'blocked' | 'skipped';
}

export interface ScoreSection {
  key: string;
  title: string;
  rows: ScoreRow[];
}

/** Where one scenario is counted: a section and a row within it. */
export interface ScoreArea {
  section: { key: string; title: string };
  row: { key: string; label: string };
}

const RFC = /^rfc(\d+)$/i;
const IDP_VARIANTS: Record<string, string> = { oin: 'OIN', aiw: 'AIW' };

/** Sections in this order: Okta, Entra, RFCs, other; each sorted by key within its family. */
const FAMILY_ORDER = ['okta', 'entra', 'rfc', 'other'];

function idpAreas(family: 'okta' | 'entra', scenario: ScenarioResult, segments: string[]): ScoreArea[] {
  const group = segments[1] ?? 'general';
  const title =
    family === 'okta' ? `Okta To App features · ${IDP_VARIANTS[group.toLowerCase()] ?? group}` : `Entra capabilities · ${group}`;
  const section = { key: `${family}.${group}`, title };
  const prefix = `${family}.`;
  const features = scenario.features.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
  const names = features.length > 0 ? features : [segments[2]?.split('-')[0] || 'general'];
  return [...new Set(names)].map((name) => ({ section, row: { key: `${section.key}/${name}`, label: name } }));
}

/** The rows a scenario counts in (see the module comment). */
export function areasOf(scenario: ScenarioResult): ScoreArea[] {
  const segments = scenario.id.split('.');
  const family = segments[0]!.toLowerCase();
  if ((family === 'okta' || family === 'entra') && segments.length >= 2) return idpAreas(family, scenario, segments);
  const rfc = RFC.exec(segments[0]!);
  if (rfc && segments.length >= 3) {
    const section = { key: `rfc${rfc[1]}`, title: `RFC ${rfc[1]} areas` };
    return [{ section, row: { key: `${section.key}/${segments[1]}`, label: segments[1]! } }];
  }
  const section = { key: 'other', title: 'Other scenarios' };
  return [{ section, row: { key: `other/${segments[0]}`, label: segments[0]! } }];
}

function familyRank(sectionKey: string): number {
  const family = RFC.test(sectionKey) ? 'rfc' : sectionKey.split('.')[0]!;
  return FAMILY_ORDER.indexOf(family);
}

const emptyRow = (key: string, label: string): ScoreRow => ({ key, label, passed: 0, failed: 0, skipped: 0, blocked: 0, errored: 0, total: 0, status: 'skipped' });

const COUNTER: Record<Status, 'passed' | 'failed' | 'skipped' | 'blocked' | 'errored'> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  blocked: 'blocked',
  error: 'errored',
};

function rowStatus(row: ScoreRow): ScoreRow['status'] {
  if (row.failed + row.errored > 0) return 'failed';
  if (row.passed > 0) return 'passed';
  return row.blocked > 0 ? 'blocked' : 'skipped';
}

/** The scorecard of a run: sections of rows, each with passed, failed, blocked and skipped counts. */
export function scorecard(scenarios: readonly ScenarioResult[]): ScoreSection[] {
  const sections = new Map<string, { title: string; rows: Map<string, ScoreRow> }>();
  for (const scenario of scenarios) {
    for (const { section, row } of areasOf(scenario)) {
      let entry = sections.get(section.key);
      if (!entry) sections.set(section.key, (entry = { title: section.title, rows: new Map() }));
      let score = entry.rows.get(row.key);
      if (!score) entry.rows.set(row.key, (score = emptyRow(row.key, row.label)));
      score[COUNTER[scenario.status]]++;
      score.total++;
    }
  }
  for (const { rows } of sections.values()) {
    for (const row of rows.values()) row.status = rowStatus(row);
  }
  return [...sections.entries()]
    .sort(([a], [b]) => familyRank(a) - familyRank(b) || a.localeCompare(b))
    .map(([key, { title, rows }]) => ({ key, title, rows: [...rows.values()].sort((a, b) => a.label.localeCompare(b.label)) }));
}
