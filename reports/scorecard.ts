import type { ScenarioResult, Status, Totals } from '../harness/result.js';

/*
 * The scorecard: how a target fares, area by area, from what each scenario result says of itself
 * (never from its id):
 *
 * - an IdP scenario counts in its `variant`'s section (Okta's OIN or AIW app, Entra's dialect), or
 *   in one named after its IdP when the result has no variant (results of version 1 and 2);
 * - a protocol scenario counts in the section of RFC 7644 when a ref names it, else of the first RFC its refs name (`RFC 7644 §3.4.2`
 *   → "RFC 7644 areas"), or in "Other scenarios" when they name none;
 * - its rows are what it `covers` (pushGroups, deprovisioning, filter), or "general" when it says
 *   nothing. A scenario covering several counts in each of their rows: a row says whether
 *   everything that exercises it works;
 * - a variant that lists its features (an app whose To App features are fixed, such as Okta's
 *   Postman app) gives its section every feature, offered or not, each with the row of the
 *   scenarios that cover it, if any.
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
  /** For a variant that lists its features: each of them, in its order, offered or not. */
  features?: FeatureScore[];
}

/** A feature of an app variant, and the row of the scenarios that cover it when some do. */
export interface FeatureScore {
  key: string;
  label: string;
  offered: boolean;
  row?: ScoreRow;
}

/** Where one scenario is counted: a section and a row within it. */
export interface ScoreArea {
  section: { key: string; title: string };
  row: { key: string; label: string };
}

const RFC_REF = /\bRFC\s*(\d+)/i;
const OTHER = { key: 'other', title: 'Other scenarios' };

/** Sections in this order: Okta, Entra, any other IdP, RFCs, other; each sorted by key within its family. */
const FAMILY_ORDER = ['okta', 'entra', 'idp', 'rfc', 'other'];

function sectionOf(scenario: ScenarioResult): ScoreArea['section'] {
  if (scenario.idp !== 'none') return scenario.variant ?? { key: scenario.idp, title: scenario.idp };
  // SCIM's protocol RFC 7644 when any ref names it: RFC 7643 (schema) and others are cited alongside it.
  const cited = scenario.refs.flatMap((ref) => RFC_REF.exec(ref)?.[1] ?? []);
  const rfc = cited.includes('7644') ? '7644' : cited[0];
  return rfc ? { key: `rfc${rfc}`, title: `RFC ${rfc} areas` } : OTHER;
}

/** The rows a scenario counts in (see the module comment). */
export function areasOf(scenario: ScenarioResult): ScoreArea[] {
  const section = sectionOf(scenario);
  const names = scenario.covers.length > 0 ? [...new Set(scenario.covers)] : ['general'];
  return names.map((name) => ({ section, row: { key: `${section.key}/${name}`, label: name } }));
}

function familyRank(sectionKey: string): number {
  const family = /^rfc\d+$/.test(sectionKey) ? 'rfc' : sectionKey === OTHER.key ? 'other' : sectionKey.split('.')[0]!;
  const rank = FAMILY_ORDER.indexOf(family);
  return rank >= 0 ? rank : FAMILY_ORDER.indexOf('idp');
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
  const sections = new Map<string, { title: string; rows: Map<string, ScoreRow>; features?: NonNullable<ScenarioResult['variant']>['features'] }>();
  for (const scenario of scenarios) {
    for (const { section, row } of areasOf(scenario)) {
      let entry = sections.get(section.key);
      if (!entry) sections.set(section.key, (entry = { title: section.title, rows: new Map() }));
      entry.features ??= scenario.variant?.features;
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
    .map(([key, { title, rows, features }]) => ({
      key,
      title,
      rows: [...rows.values()].sort((a, b) => a.label.localeCompare(b.label)),
      ...(features && { features: features.map(({ key: feature, label, offered }) => ({ key: feature, label, offered, ...withRow(rows.get(`${key}/${feature}`)) })) }),
    }));
}

const withRow = (row: ScoreRow | undefined) => (row ? { row } : {});
