import type { RootCause } from '../../harness/result.js';
import { answerBeside, effectText } from '../causes.js';
import { esc, scenarioAnchor } from './escape.js';

const MARKS: Record<RootCause['effect'], string> = { failed: '✗', error: '!', blocked: '~', skipped: '–' };

/** The sentence, the server's answer whole when the sentence does not quote it, as a block of its own. */
export function causeBody(cause: { summary: string; answer?: RootCause['answer'] }): string {
  const answer = answerBeside(cause);
  return `<b class="cause-summary">${esc(cause.summary)}</b>${answer === undefined ? '' : `<pre class="answer">${esc(answer)}</pre>`}`;
}

function causeItem(cause: RootCause): string {
  const first = cause.scenarios[0];
  const link = first === undefined ? '' : ` · first: <a href="#${esc(scenarioAnchor(first))}">${esc(first)}</a>`;
  return (
    `<li class="cause ef-${esc(cause.effect)}"><div><span class="mark">${MARKS[cause.effect]}</span> ${causeBody(cause)}</div>` +
    `<div class="muted"><b>${esc(effectText(cause))}</b>${link} · ` +
    `<button type="button" class="cause" data-cause="${esc(cause.key)}" aria-pressed="false" title="Show only these scenarios">show them</button></div></li>`
  );
}

/** Each root cause once, failures first: what the page leads with. Empty when every scenario passed. */
export function renderCauses(causes: readonly RootCause[]): string {
  if (causes.length === 0) return '';
  return `<section id="causes"><h2>Root causes</h2><ul class="causes">${causes.map(causeItem).join('')}</ul></section>`;
}
