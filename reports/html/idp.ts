import type { Exchange, Outcome, StepResult } from '../../harness/result.js';
import { injectedText } from '../injected.js';
import { prettyJson } from './diff.js';
import { esc } from './escape.js';
import { SHOWN_PER_SCENARIO, shownItems, shownNote } from './limit.js';

/** Keys of the sentence an admin would read (Okta's `message`, Entra's `errorInformation.reason`), at any depth. */
const SENTENCE_KEYS = new Set(['message', 'reason', 'errormessage', 'summary']);

/** The record's first admin sentence, breadth first so that a top-level one wins. */
function sentenceOf(record: Record<string, unknown>): string | undefined {
  const queue: unknown[] = [record];
  for (let seen = 0; queue.length > 0 && seen < 200; seen++) {
    const value = queue.shift();
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, member] of Object.entries(value)) {
      if (typeof member === 'string' && member.trim() !== '' && SENTENCE_KEYS.has(key.toLowerCase())) return member;
      if (typeof member === 'object' && member !== null) queue.push(member);
    }
  }
  return undefined;
}

/** The record's short top-level facts (`eventType`, `status`, `user`…), for one line. */
function factsOf(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([key, value]) => ['string', 'number', 'boolean'].includes(typeof value) && !SENTENCE_KEYS.has(key.toLowerCase()) && String(value).length <= 80)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(' · ');
}

const IDP_NAMES: Record<Outcome['idp'], string> = { okta: 'Okta', entra: 'Entra' };

/** The IdP's own words: Okta task results, Entra provisioning log records, as the simulator reported them. */
/** A failure or warning the IdP reported, or a change of the job's state: kept when a long list is shortened. */
const notableOutcome = (o: Outcome) => o.kind === 'jobStatus' || /^(?:failure|warning)$/i.test(String(o.record.status ?? ''));

export function renderOutcomes(outcomes: readonly Outcome[]): string {
  const shown = shownItems(outcomes, notableOutcome);
  const items = shown.map((o) => {
    const sentence = sentenceOf(o.record);
    const when = o.virtualTime ? ` <span class="muted">${esc(o.virtualTime)}</span>` : '';
    return (
      `<li class="outcome"><div><span class="kind kind-idp">${esc(IDP_NAMES[o.idp] ?? o.idp)}</span> <b>${esc(o.kind)}</b>${when} ${esc(factsOf(o.record))}</div>` +
      `${sentence ? `<blockquote>${esc(sentence)}</blockquote>` : ''}` +
      `<details><summary>the whole record</summary><pre class="body">${esc(prettyJson(o.record))}</pre></details></li>`
    );
  });
  return `${shownNote(shown.length, outcomes.length, 'records', ', then the failures, warnings and changes of state')}<ul class="outcomes">${items.join('')}</ul>`;
}

/** `+40m`, `+1h 5m`, `+2d 3h`: an offset on the virtual clock. */
export function offset(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const s = Math.round(ms / 1000);
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  return `+${shown.length > 0 ? shown.map(([n, unit]) => `${n}${unit}`).join(' ') : '0s'}`;
}

interface Moment {
  time: string;
  what: string;
}

/**
 * The virtual clock of an IdP scenario: when each request was sent and each outcome reported,
 * with the offset from the first moment, so that cycles and waits (`advance: 40m`) show.
 * Undefined when nothing carries a virtual time.
 */
export function renderTimeline(exchanges: readonly Exchange[], outcomes: readonly Outcome[], steps: readonly StepResult[]): string | undefined {
  const stepName = (index: number | null) => (index === null ? '' : `step ${index + 1} (${steps.find((s) => s.index === index)?.name ?? '?'}): `);
  const moments: Moment[] = [
    ...exchanges.filter((e) => e.virtualTime).map((e) => ({ time: e.virtualTime!, what: `${stepName(e.step)}${e.request.method} ${e.request.url} → ${e.response?.status ?? 'no response'}${e.fault === undefined ? '' : ` (${injectedText(e)})`}` })),
    ...outcomes.filter((o) => o.virtualTime).map((o) => ({ time: o.virtualTime!, what: `${IDP_NAMES[o.idp] ?? o.idp} ${o.kind}: ${sentenceOf(o.record) ?? factsOf(o.record)}` })),
  ];
  if (moments.length === 0) return undefined;
  // A stable sort: requests before the outcome they led to at the same instant.
  moments.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const start = Date.parse(moments[0]!.time);
  const rows = moments
    .slice(0, SHOWN_PER_SCENARIO)
    .map((m) => `<li><span class="offset">${esc(offset(Date.parse(m.time) - start))}</span> <span class="muted">${esc(m.time)}</span> ${esc(m.what)}</li>`);
  return `${shownNote(rows.length, moments.length, 'moments', '')}<ol class="timeline">${rows.join('')}</ol>`;
}
