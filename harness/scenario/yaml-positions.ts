import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document, type Node } from 'yaml';
import type { DataPath } from './paths.js';

export interface Position {
  line: number;
  column: number;
}

export interface ParsedYaml {
  /** The document as plain data; undefined when `errors` is not empty. */
  data: unknown;
  /** YAML syntax errors, in words, where they are. */
  errors: (Position & { message: string })[];
  /**
   * Where the value at `path` (or its key) was written; the nearest enclosing node when the path
   * runs out. `within` is an index into a string value, honoured when the string is written on
   * one line without escapes.
   */
  locate(path: DataPath, at?: 'key' | 'value', within?: number): Position;
}

/** Parses one YAML document, keeping what is needed to point back at any value's line and column. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const errors = doc.errors.map((e) => ({ ...position(e.pos[0]), message: syntaxMessage(e.code, e.message, text.slice(e.pos[0])) }));
  errors.push(...unresolvedAliases(doc).map((alias) => ({ ...position(alias.range?.[0] ?? 0), message: `unknown alias *${alias.source}: no anchor &${alias.source} before it` })));
  let data: unknown;
  if (errors.length === 0) {
    try {
      data = doc.toJS();
    } catch (e) {
      // Only aliases expanding beyond yaml's limit get here (a "billion laughs" file).
      errors.push({ line: 1, column: 1, message: `YAML: ${(e as Error).message}` });
    }
  }
  return {
    data,
    errors,
    locate: (path, at = 'value', within = 0) => {
      const node = nodeAt(doc, path, at);
      const start = node?.range?.[0] ?? 0;
      return position(start + (within && isScalar(node) ? verbatimOffset(node, text.slice(start, node.range?.[1]), within) : 0));
    },
  };
}

/** yaml's message, or plainer words for the mistakes scenario authors make most. `rest` is the text from the error on. */
function syntaxMessage(code: string, message: string, rest: string): string {
  switch (code) {
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (---): write one scenario per file';
    case 'DUPLICATE_KEY': {
      const key = /^[^:\n]*/.exec(rest)![0].trim();
      return `key ${/^["']/.test(key) ? key : `'${key}'`} appears twice in this mapping`;
    }
    default:
      return `YAML syntax: ${message}`;
  }
}

function unresolvedAliases(doc: Document) {
  const found: { source: string; range?: [number, number, number] | null }[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (!alias.resolve(doc)) found.push(alias);
    },
  });
  return found;
}

function nodeAt(doc: Document, path: DataPath, at: 'key' | 'value'): Node | null | undefined {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) [next, nextKey] = [pair.value, pair.key as Node];
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined) break;
    [node, key] = [next, nextKey];
  }
  const value = node as Node | null;
  // A key with nothing after it (`status:`) has an empty null scalar at the line's end: point at the key.
  const empty = isScalar(value) && value.value === null && value.source === '';
  return at === 'key' || !value || empty ? (key ?? value) : value;
}

/** How far into the source `within` lies, when the scalar's text is its value as written (plain, or quoted without escapes). */
function verbatimOffset(node: Scalar, source: string, within: number): number {
  if (node.type === Scalar.PLAIN && source === node.value) return within;
  const quote = node.type === Scalar.QUOTE_DOUBLE ? '"' : node.type === Scalar.QUOTE_SINGLE ? "'" : undefined;
  return quote && source === `${quote}${String(node.value)}${quote}` ? 1 + within : 0;
}
