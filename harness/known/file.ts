import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { KNOWN_FIELDS } from './schema.js';

/** One accepted failure, as the file gives it, with the line it starts on. */
export interface KnownEntry {
  scenario: string;
  check?: string;
  reason: string;
  owner?: string;
  ticket?: string;
  expires: string;
  file: string;
  line: number;
}

/** A mistake in a known-failures file; the message is `file:line: known[2].expires: what to fix`. */
export class KnownFileError extends Error {}

/** Files past this size are refused: a known-failures list is a few hundred lines. */
const MAX_BYTES = 1024 * 1024;

type Path = (string | number)[];

/** The node a path leads to (a mapping's key, a list's item), as far as the path goes. */
function locate(doc: Document, path: Path): Node | undefined {
  let node: unknown = doc.contents;
  let at = (doc.contents ?? undefined) as Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (pair === undefined) break;
      at = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      at = node.items[part] as Node;
      node = at;
    } else break;
  }
  return at;
}

const pathText = (path: Path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** A real calendar day: `2026-02-30` is refused. */
function isDay(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rules of schema.ts, each mistake with its path and what to write instead. */
function check(data: unknown): { path: Path; message: string } | KnownEntryData[] {
  if (!isRecord(data) || !Array.isArray(data.known)) return { path: [], message: 'the file must hold `known:` and a list of entries (docs/known-failures.schema.json)' };
  const extra = Object.keys(data).find((k) => k !== 'known');
  if (extra !== undefined) return { path: [extra], message: `unknown field "${extra}": the file holds only \`known:\`` };
  const entries: KnownEntryData[] = [];
  for (const [i, entry] of data.known.entries()) {
    if (!isRecord(entry)) return { path: ['known', i], message: 'each entry is a mapping: scenario, reason, owner or ticket, expires, and optionally check' };
    const unknown = Object.keys(entry).find((k) => !(KNOWN_FIELDS as readonly string[]).includes(k));
    if (unknown !== undefined) return { path: ['known', i, unknown], message: `unknown field "${unknown}": use ${KNOWN_FIELDS.join(', ')}` };
    for (const field of KNOWN_FIELDS) {
      const value = entry[field];
      if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) return { path: ['known', i, field], message: `${field} must be a non-empty text` };
    }
    for (const field of ['scenario', 'reason', 'expires'] as const) {
      if (entry[field] === undefined) return { path: ['known', i], message: `missing ${field}: every entry says which scenario, why, and until when (expires: YYYY-MM-DD)` };
    }
    if (entry.owner === undefined && entry.ticket === undefined) return { path: ['known', i], message: 'give owner (who fixes it) or ticket (the URL that tracks it), or both' };
    if (typeof entry.ticket === 'string' && !/^https?:\/\//.test(entry.ticket)) return { path: ['known', i, 'ticket'], message: `ticket must be an http(s) URL, got "${entry.ticket}"` };
    if (!isDay(entry.expires as string)) return { path: ['known', i, 'expires'], message: `expires must be a date written YYYY-MM-DD (the last day the entry holds), got "${String(entry.expires)}"` };
    entries.push(entry as unknown as KnownEntryData);
  }
  return entries;
}

type KnownEntryData = Omit<KnownEntry, 'file' | 'line'>;

/** Reads a known-failures file (YAML or JSON); throws a KnownFileError naming file:line and what to fix. */
export function parseKnownFile(text: string, file: string): KnownEntry[] {
  if (Buffer.byteLength(text) > MAX_BYTES) throw new KnownFileError(`${file}: larger than 1 MB: a known-failures file lists entries, not results`);
  const lines = new LineCounter();
  // Dates stay text (YAML 1.2's core schema): `expires: 2026-12-31` is read as written.
  const doc = parseDocument(text, { lineCounter: lines });
  const lineOf = (offset: number | undefined) => lines.linePos(offset ?? 0).line;
  const [syntax] = doc.errors;
  if (syntax) throw new KnownFileError(`${file}:${lineOf(syntax.pos[0])}: ${syntax.message.replace(/ at line \d+, column \d+[\s\S]*$/, '')}`);
  const checked = check(doc.toJS({ maxAliasCount: 100 }));
  if (!Array.isArray(checked)) {
    const where = pathText(checked.path);
    throw new KnownFileError(`${file}:${lineOf(locate(doc, checked.path)?.range?.[0])}: ${where ? `${where}: ` : ''}${checked.message}`);
  }
  return checked.map((entry, i) => ({ ...entry, file, line: lineOf(locate(doc, ['known', i])?.range?.[0]) }));
}
