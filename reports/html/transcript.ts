import type { BodyRecord, Exchange } from '../../harness/result.js';
import { curlCommand } from '../curl.js';
import { injectedText } from '../injected.js';
import { HARNESS_TAG, harnessTagged } from '../sender.js';
import { prettyJson } from './diff.js';
import { esc } from './escape.js';
import { shownItems, shownNote } from './limit.js';

/** The element id of an exchange, for the links from checks to what they checked. */
export const exchangeAnchor = (scenarioAnchor: string, seq: number) => `${scenarioAnchor}-exchange-${seq}`;

function statusClass(status: number): string {
  if (status >= 500) return 'code s5';
  if (status >= 400) return 'code s4';
  if (status >= 300) return 'code s3';
  return 'code s2';
}

function headersBlock(headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return lines.length > 0 ? `<pre class="headers">${esc(lines.join('\n'))}</pre>` : '';
}

function bodyBlock(body: BodyRecord | undefined): string {
  if (!body) return '<p class="muted">no body</p>';
  const cut = body.truncated ? `<p class="note">The recorded body was cut; the whole body had ${body.bytes} bytes.</p>` : '';
  const text = body.json !== undefined ? prettyJson(body.json) : (body.text ?? '');
  return `<pre class="body">${esc(text)}</pre>${cut}`;
}

/** Beside the kind of a request the harness sent itself, not the IdP: its User-Agent says `scimulator/<version>`. */
const HARNESS_BADGE = ` <span class="by" title="sent by scimulator itself, not the IdP">${HARNESS_TAG}</span>`;

function exchangeSummary(e: Exchange, byHarness: boolean): string {
  const status = e.response ? `<span class="${statusClass(e.response.status)}">${e.response.status}</span>` : '<span class="code s5">no response</span>';
  const injected = injectedText(e);
  const answer = injected === undefined ? status : `${status} <span class="injected">${esc(injected)}</span>`;
  const details = [`${Math.round(e.durationMs)} ms`, e.step === null ? '' : `step ${e.step + 1}`, e.virtualTime ? `virtual ${e.virtualTime}` : ''].filter(Boolean);
  return (
    `<span class="seq">#${e.seq}</span> <span class="kind kind-${esc(e.kind)}">${esc(e.kind)}</span>${byHarness ? HARNESS_BADGE : ''} ` +
    `<code class="line">${esc(e.request.method)} ${esc(e.request.url)}</code> → ${answer} <span class="muted">${esc(details.join(' · '))}</span>`
  );
}

function exchangeBlock(e: Exchange, anchor: string, open: boolean, byHarness: boolean): string {
  const response = e.response
    ? `<div class="half"><h5>Response</h5>${headersBlock(e.response.headers)}${bodyBlock(e.response.body)}</div>`
    : `<div class="half"><h5>No response</h5><p class="error">${esc(e.error ?? 'unknown error')}</p></div>`;
  return (
    `<details class="exchange" id="${esc(exchangeAnchor(anchor, e.seq))}"${open ? ' open' : ''}><summary>${exchangeSummary(e, byHarness)}</summary>` +
    `<div class="halves"><div class="half"><h5>Request</h5>${headersBlock(e.request.headers)}${bodyBlock(e.request.body)}</div>${response}</div>` +
    `<h5>Replay with curl</h5><pre class="curl">${esc(curlCommand(e))}</pre></details>`
  );
}

/** What a failing check looked at, a request without an answer, an answer with an error status. */
const notable = (e: Exchange, open: ReadonlySet<number>) => open.has(e.seq) || e.error !== undefined || (e.response?.status ?? 0) >= 400;

/**
 * Every exchange of a scenario, each collapsible with pretty-printed bodies and a curl line.
 * Those in `open` (what failing checks looked at, requests that got no answer) start open; the
 * harness's own requests beside an IdP's are tagged. A long transcript is shortened (see
 * limit.ts), with a note.
 */
export function renderTranscript(exchanges: readonly Exchange[], anchor: string, open: ReadonlySet<number>): string {
  if (exchanges.length === 0) return '<p class="muted">No request was sent.</p>';
  const shown = shownItems(exchanges, (e) => notable(e, open));
  const note = shownNote(shown.length, exchanges.length, 'requests', ', then those that failed or that a failing check looked at');
  const tagged = harnessTagged(exchanges);
  return `${note}<div class="transcript">${shown.map((e) => exchangeBlock(e, anchor, open.has(e.seq) || e.error !== undefined, tagged.has(e.seq))).join('')}</div>`;
}
