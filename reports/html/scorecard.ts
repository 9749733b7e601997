import type { FeatureScore, ScoreRow, ScoreSection } from '../scorecard.js';
import { esc } from './escape.js';

/** A bar of passed, failed, blocked and skipped shares: SVG, whose geometry needs no style attribute (the page's CSP forbids them). */
function bar(row: ScoreRow): string {
  const parts: [string, number][] = [
    ['pass', row.passed],
    ['fail', row.failed + row.errored],
    ['block', row.blocked],
    ['skip', row.skipped],
  ];
  let x = 0;
  const rects = parts.map(([cls, n]) => {
    const width = row.total > 0 ? (n / row.total) * 100 : 0;
    const rect = width > 0 ? `<rect class="${cls}" x="${x.toFixed(2)}" y="0" width="${width.toFixed(2)}" height="10"/>` : '';
    x += width;
    return rect;
  });
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">${rects.join('')}</svg>`;
}

function rowHtml(row: ScoreRow, label = esc(row.label)): string {
  const failed = row.failed + row.errored;
  const errored = row.errored > 0 ? ` <span class="muted" title="could not run">(${row.errored} !)</span>` : '';
  return (
    `<tr class="row-${row.status}"><td><button type="button" class="area" data-row="${esc(row.key)}" aria-pressed="false" title="Show only these scenarios">${label}</button></td>` +
    `<td class="num pass">${row.passed || ''}</td><td class="num fail">${failed || ''}${errored}</td><td class="num block">${row.blocked || ''}</td>` +
    `<td class="num skip">${row.skipped || ''}</td><td class="barcell">${bar(row)}</td></tr>`
  );
}

/** A feature of an app variant: its row when scenarios cover it, else its name alone; one it does not offer says so. */
function featureHtml(feature: FeatureScore): string {
  const label = `${esc(feature.label)}${feature.offered ? '' : ' <span class="muted">not offered</span>'}`;
  return feature.row ? rowHtml(feature.row, label) : `<tr class="row-none"><td>${label}</td><td colspan="5" class="muted">no scenario</td></tr>`;
}

/**
 * The rows of a section: for an app variant, a row group of its features first (every one, offered
 * or not), then a group of what else its scenarios cover.
 */
function bodyHtml(section: ScoreSection): string {
  if (!section.features) return `<tbody>${section.rows.map((row) => rowHtml(row)).join('')}</tbody>`;
  const featureRows = new Set(section.features.flatMap((f) => (f.row ? [f.row.key] : [])));
  const others = section.rows.filter((row) => !featureRows.has(row.key));
  const features = `<tbody class="features"><tr><th colspan="6" scope="rowgroup">features of the app</th></tr>${section.features.map(featureHtml).join('')}</tbody>`;
  return others.length === 0 ? features : `${features}<tbody><tr><th colspan="6" scope="rowgroup">also covered</th></tr>${others.map((row) => rowHtml(row)).join('')}</tbody>`;
}

/** The scorecard, one table per section; each row's button filters the scenario list to it. */
export function renderScorecard(sections: readonly ScoreSection[]): string {
  if (sections.length === 0) return '<p class="muted">No scenario was run.</p>';
  const tables = sections.map(
    (section) =>
      `<div class="card"><h3>${esc(section.title)}</h3><table><thead><tr><th>area</th><th class="num">passed</th><th class="num">failed</th><th class="num">blocked</th><th class="num">skipped</th><th></th></tr></thead>` +
      `${bodyHtml(section)}</table></div>`,
  );
  return `<div class="cards">${tables.join('')}</div>`;
}
