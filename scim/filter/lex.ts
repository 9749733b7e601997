import type { AttrPath } from './types.js';

/**
 * The tokens of RFC 7644 §3.4.2.2 filters, shared with PATCH paths (§3.5.2). A `word` is anything
 * spelt with attribute-path characters: attribute paths, operators, `and`/`or`/`not`, `true`/`false`/`null`;
 * the parser decides which from where it stands, so an attribute may be called `and` or `eq`.
 * `start` is a 0-based offset; messages show it 1-based ("position 1" is the first character).
 */
export type Token =
  | { kind: 'word'; text: string; start: number }
  | { kind: 'string'; text: string; start: number; value: string }
  | { kind: 'number'; text: string; start: number; value: number }
  | { kind: '(' | ')' | '[' | ']'; text: string; start: number }
  | { kind: 'end'; text: ''; start: number };

/**
 * A syntax error at an offset. It never leaves the protocol core: the public parsers turn it into a
 * ScimError with the scimType that fits what was parsed (invalidFilter or invalidPath).
 */
export class SyntaxFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyntaxFault';
  }
}

/** `message at position N[, found X]`, the shape of every syntax error detail. */
export function fault(message: string, offset: number, found?: string): SyntaxFault {
  return new SyntaxFault(`${message} at position ${offset + 1}${found === undefined ? '' : `, found ${found}`}`);
}

const MAX_QUOTED = 40;

/** A token as an error message shows it. */
export function describe(token: Token, noun: string): string {
  if (token.kind === 'end') return `the end of the ${noun}`;
  const text = token.text.length > MAX_QUOTED ? `${token.text.slice(0, MAX_QUOTED)}…` : token.text;
  return token.kind === 'string' ? text : `"${text}"`;
}

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
/** ATTRNAME characters plus `$` (for `$ref`), `:` (URIs) and `.` (sub-attributes). */
const isWordChar = (c: number): boolean => isAlpha(c) || isDigit(c) || c === 45 || c === 95 || c === 36 || c === 58 || c === 46;

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A hand-written scanner with look-ahead: tokens are read on demand, so the first error in the text is the one reported. */
export class Lexer {
  private readonly text: string;
  private offset = 0;
  private readonly ahead: Token[] = [];

  constructor(text: string) {
    this.text = text;
  }

  peek(distance = 0): Token {
    while (this.ahead.length <= distance) this.ahead.push(this.scan());
    return this.ahead[distance]!;
  }

  next(): Token {
    return this.ahead.length > 0 ? this.ahead.shift()! : this.scan();
  }

  private scan(): Token {
    const text = this.text;
    while (this.offset < text.length && isSpace(text.charCodeAt(this.offset))) this.offset++;
    const start = this.offset;
    if (start >= text.length) return { kind: 'end', text: '', start };
    const c = text.charCodeAt(start);
    const ch = text[start]!;
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      this.offset++;
      return { kind: ch, text: ch, start };
    }
    if (ch === '"') return this.scanString(start);
    if (isDigit(c) || ch === '-') return this.scanNumber(start);
    if (isWordChar(c)) {
      while (this.offset < text.length && isWordChar(text.charCodeAt(this.offset))) this.offset++;
      return { kind: 'word', text: text.slice(start, this.offset), start };
    }
    throw fault(`Unexpected character ${JSON.stringify(ch)}`, start);
  }

  /**
   * An unquoted value (`jyoung`, `ada@example.com`, `7d42…-…`), read up to a space, ")" or "]",
   * when that is what comes next; undefined when it is a quoted string, a number, true, false or
   * null, or when a token was already read ahead.
   */
  unquotedValue(): Extract<Token, { kind: 'string' }> | undefined {
    if (this.ahead.length > 0) return undefined;
    const text = this.text;
    let start = this.offset;
    while (start < text.length && isSpace(text.charCodeAt(start))) start++;
    let end = start;
    while (end < text.length && !isSpace(text.charCodeAt(end)) && !')]'.includes(text[end]!)) end++;
    const value = text.slice(start, end);
    if (value === '' || value.startsWith('"') || /^(?:true|false|null)$/i.test(value) || JSON_NUMBER.test(value)) return undefined;
    this.offset = end;
    return { kind: 'string', text: value, start, value };
  }

  /** A JSON string (RFC 8259 §7): the escapes \" \\ \/ \b \f \n \r \t \uXXXX, no raw control characters. */
  private scanString(start: number): Token {
    const text = this.text;
    let i = start + 1;
    let value = '';
    let chunk = i;
    for (;;) {
      if (i >= text.length) throw fault('Unterminated string starting', start);
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) throw fault(`Control character U+${c.toString(16).toUpperCase().padStart(4, '0')} must be escaped in a string`, i);
      if (c !== 92) {
        i++;
        continue;
      }
      value += text.slice(chunk, i);
      const escape = text[i + 1];
      if (escape === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw fault('Expected four hex digits after "\\u"', i);
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (escape !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, escape)) {
        value += ESCAPES[escape];
        i += 2;
      } else {
        if (escape === undefined) throw fault('Unterminated string starting', start);
        throw fault(`Invalid escape "\\${escape}" in a string`, i);
      }
      chunk = i;
    }
    value += text.slice(chunk, i);
    this.offset = i + 1;
    return { kind: 'string', text: text.slice(start, this.offset), start, value };
  }

  /** A JSON number (RFC 8259 §6): -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
  private scanNumber(start: number): Token {
    const text = this.text;
    let i = start;
    const digits = (): number => {
      const from = i;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      return i - from;
    };
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (digits() === 0) throw this.badNumber(start);
    if (text[i] === '.') {
      i++;
      if (digits() === 0) throw this.badNumber(start);
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (digits() === 0) throw this.badNumber(start);
    }
    if (i < text.length && isWordChar(text.charCodeAt(i))) throw this.badNumber(start);
    const value = Number(text.slice(start, i));
    if (!Number.isFinite(value)) throw fault(`The number ${text.slice(start, i)} is out of range`, start);
    this.offset = i;
    return { kind: 'number', text: text.slice(start, i), start, value };
  }

  private badNumber(start: number): SyntaxFault {
    let end = start + 1;
    while (end < this.text.length && isWordChar(this.text.charCodeAt(end))) end++;
    return fault(`Invalid number "${this.text.slice(start, end)}" (attribute names start with a letter, numbers use JSON syntax)`, start);
  }
}

/**
 * Checks one ATTRNAME (RFC 7643 §2.1: ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA).
 * `$ref` is accepted too: RFC 7643 itself names sub-attributes so.
 */
export function checkAttrName(name: string, offset: number): void {
  if (name.length === 0) throw fault('Expected an attribute name', offset);
  if (name.toLowerCase() === '$ref') return;
  if (!isAlpha(name.charCodeAt(0))) throw fault(`Attribute name "${name}" must start with a letter`, offset);
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isAlpha(c) && !isDigit(c) && c !== 45 && c !== 95) {
      throw fault(`Invalid character "${name[i]}" in attribute name "${name}"`, offset + i);
    }
  }
}

/**
 * `[URI ":"] ATTRNAME *1("." ATTRNAME)` (RFC 7644 §3.4.2.2, Figure 1) from the text of a word token.
 * The URI ends at the LAST colon, because the attribute name has none while URN versions have dots (`2.0`).
 */
export function attrPathOf(word: string, start: number): AttrPath {
  const colon = word.lastIndexOf(':');
  if (colon === 0) throw fault('Expected a schema URI before ":"', start);
  const local = word.slice(colon + 1);
  const localStart = start + colon + 1;
  const dot = local.indexOf('.');
  const attr = dot < 0 ? local : local.slice(0, dot);
  checkAttrName(attr, localStart);
  const path: AttrPath = colon > 0 ? { uri: word.slice(0, colon), attr } : { attr };
  if (dot >= 0) {
    const subAttr = local.slice(dot + 1);
    const second = subAttr.indexOf('.');
    if (second >= 0) throw fault(`Only one sub-attribute may follow "${attr}" (SCIM attributes nest one level)`, localStart + dot + 1 + second);
    checkAttrName(subAttr, localStart + dot + 1);
    path.subAttr = subAttr;
  }
  return path;
}

/** The canonical text of an attribute path: `uri:attr.subAttr`. */
export function formatAttrPath(path: AttrPath): string {
  const local = path.subAttr === undefined ? path.attr : `${path.attr}.${path.subAttr}`;
  return path.uri === undefined ? local : `${path.uri}:${local}`;
}
