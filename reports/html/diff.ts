import { esc } from './escape.js';

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** Past this many cells the LCS table costs too much: the report shows both sides instead. */
const MAX_CELLS = 2_000_000;

/**
 * A line diff (longest common subsequence) of `a` into `b`, after setting the common head and tail
 * aside; undefined when the differing middle is too large to compare.
 */
export function lineDiff(a: readonly string[], b: readonly string[]): DiffLine[] | undefined {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) return undefined;
  // lcs[i][j]: the LCS length of x[i..] and y[j..], in one flat array.
  const width = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * width);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * width + j] = x[i] === y[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      middle.push({ op: ' ', text: x[i++]! });
      j++;
    } else if (i < x.length && (j === y.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      middle.push({ op: '-', text: x[i++]! });
    } else {
      middle.push({ op: '+', text: y[j++]! });
    }
  }
  const same = (lines: readonly string[]) => lines.map((text): DiffLine => ({ op: ' ', text }));
  return [...same(a.slice(0, head)), ...middle, ...same(a.slice(a.length - tail))];
}

/** Matcher keywords (harness/types.ts `Matcher`): an expectation made of them is a rule, not a value to diff against. */
const MATCHER_KEYS = new Set(['equals', 'contains', 'matches', 'type', 'absent', 'present', 'length', 'oneOf', 'containsAll', 'not', 'ignoreCase']);

function isRule(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => MATCHER_KEYS.has(k));
}

/** `{ equals: X }` is X; a plain value is itself. */
function unwrapEquals(expected: unknown): unknown {
  if (isRule(expected) && Object.keys(expected as object).length === 1 && 'equals' in (expected as object)) return (expected as { equals: unknown }).equals;
  return expected;
}

export const prettyJson = (value: unknown) => (value === undefined ? '(nothing)' : (JSON.stringify(value, null, 2) ?? String(value)));

/**
 * Expected against actual: a line diff of the two as pretty JSON (`-` expected, `+` actual) when
 * the expectation is a value, both sides when it is a rule (`contains`, `matches`…) or too large.
 */
export function renderDiff(expected: unknown, actual: unknown): string {
  const wanted = unwrapEquals(expected);
  const diff = isRule(wanted) ? undefined : lineDiff(prettyJson(wanted).split('\n'), prettyJson(actual).split('\n'));
  if (!diff) {
    const label = isRule(wanted) ? 'expected (a rule)' : 'expected';
    return `<div class="sides"><div><div class="label">${label}</div><pre>${esc(prettyJson(wanted))}</pre></div><div><div class="label">actual</div><pre>${esc(prettyJson(actual))}</pre></div></div>`;
  }
  const lines = diff.map(({ op, text }) => {
    const cls = op === '-' ? 'del' : op === '+' ? 'add' : 'same';
    return `<span class="${cls}">${op} ${esc(text)}</span>`;
  });
  return `<div class="label"><span class="del">- expected</span> <span class="add">+ actual</span></div><pre class="diff">${lines.join('')}</pre>`;
}
