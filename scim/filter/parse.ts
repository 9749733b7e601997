import { ScimError, type ScimType } from '../errors.js';
import { Lexer, SyntaxFault, attrPathOf, checkAttrName, describe, fault, formatAttrPath, type Token } from './lex.js';
import type { AttrPath, CompareOperator, Filter, FilterValue } from './types.js';

/** Longer filters are refused outright: a filter is one query, and the limit bounds parse time and AST size. */
export const MAX_FILTER_LENGTH = 16_384;
/** Nesting of "(", "not (" and "[" allowed; deeper input is refused before it can exhaust the stack. */
export const MAX_FILTER_DEPTH = 64;
/**
 * Conditions (comparisons and presence tests, those inside "[...]" included) allowed in one filter
 * or path: an IdP sends one or two, and each costs a test of every resource a scan reads.
 */
export const MAX_FILTER_CONDITIONS = 50;

const COMPARE_OPERATORS: ReadonlySet<string> = new Set<CompareOperator>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
const OPERATOR_LIST = 'eq, ne, co, sw, ew, gt, lt, ge, le or pr';

const lower = (token: Token): string => token.text.toLowerCase();
const LITERAL_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'null']);
const isLiteralWord = (token: Token): boolean => token.kind === 'word' && LITERAL_WORDS.has(lower(token));

/**
 * A recursive-descent parser for the grammar of RFC 7644 §3.4.2.2 (Figure 1, with errata 4690/7322:
 * a value filter may group with parentheses but not nest another "[...]"). `or` binds loosest, then
 * `and`, both left-associative; `not` needs parentheses. Keywords and operators are case-insensitive.
 * PATCH paths (§3.5.2) reuse its pieces, so `noun` names what is being parsed in messages.
 */
export class FilterParser {
  private readonly lexer: Lexer;
  private readonly noun: string;
  private depth = 0;
  private conditions = 0;
  private previous: Token | undefined;

  /** `unquotedValues`: accept a comparison value without quotes (compat `unquotedFilterValues`). */
  private readonly unquotedValues: boolean;

  constructor(text: string, noun: 'filter' | 'path', options: { unquotedValues?: boolean } = {}) {
    this.noun = noun;
    this.unquotedValues = options.unquotedValues ?? false;
    if (text.length > MAX_FILTER_LENGTH) {
      throw fault(`The ${noun} is ${text.length} characters long, more than the ${MAX_FILTER_LENGTH} allowed`, MAX_FILTER_LENGTH);
    }
    this.lexer = new Lexer(text);
    if (this.lexer.peek().kind === 'end') throw fault(`The ${noun} is empty`, 0);
  }

  /** FILTER, up to the end of the text. */
  wholeFilter(): Filter {
    const filter = this.orExpression(false);
    this.expectEnd();
    return filter;
  }

  /** An attribute path token, with its text for messages. */
  attributePath(): { path: AttrPath; token: Token } {
    const token = this.peek();
    if (token.kind !== 'word') throw this.unexpected('Expected an attribute path', token);
    this.take();
    return { path: attrPathOf(token.text, token.start), token };
  }

  /** `"[" valFilter "]"` after `path`, when the next token opens one. */
  valueFilter(path: AttrPath, pathToken: Token): Filter | undefined {
    const open = this.peek();
    if (open.kind !== '[') return undefined;
    if (path.subAttr !== undefined) {
      throw fault(`A value filter "[...]" selects elements of a multi-valued attribute, not of the sub-attribute "${pathToken.text}"`, open.start);
    }
    this.take();
    this.enter(open);
    const filter = this.orExpression(true);
    this.close(open, ']');
    return filter;
  }

  /** The `.subAttr` written straight after a value filter's "]", if any. */
  subAttrAfterBracket(): string | undefined {
    const token = this.peek();
    if (token.kind !== 'word' || !token.text.startsWith('.')) return undefined;
    this.take();
    const name = token.text.slice(1);
    checkAttrName(name, token.start + 1);
    return name;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    if (token.kind === ')' || token.kind === ']') {
      throw fault(`Unexpected "${token.text}" with no matching "${token.kind === ')' ? '(' : '['}"`, token.start);
    }
    const expected = this.noun === 'filter' ? 'Expected "and", "or" or the end of the filter' : 'Expected the end of the path';
    throw this.unexpected(expected, token);
  }

  private orExpression(inValue: boolean): Filter {
    let left = this.andExpression(inValue);
    while (this.keyword('or')) left = { kind: 'or', left, right: this.andExpression(inValue) };
    return left;
  }

  private andExpression(inValue: boolean): Filter {
    let left = this.unary(inValue);
    while (this.keyword('and')) left = { kind: 'and', left, right: this.unary(inValue) };
    return left;
  }

  private unary(inValue: boolean): Filter {
    const token = this.peek();
    if (token.kind === '(') {
      this.take();
      return this.group(token, inValue);
    }
    // "not" is the operator only before "(": elsewhere it is an attribute name like any other word.
    if (token.kind === 'word' && lower(token) === 'not' && this.peek(1).kind === '(') {
      this.take();
      const open = this.take();
      return { kind: 'not', filter: this.group(open, inValue) };
    }
    if (token.kind !== 'word') {
      const after = this.previous ? ` after "${this.previous.text}"` : '';
      throw this.unexpected(`Expected an attribute path, "(" or "not ("${after}`, token);
    }
    return this.attributeExpression(inValue);
  }

  private group(open: Token, inValue: boolean): Filter {
    this.enter(open);
    const filter = this.orExpression(inValue);
    this.close(open, ')');
    return filter;
  }

  private attributeExpression(inValue: boolean): Filter {
    const { path, token } = this.attributePath();
    if (inValue && (path.uri !== undefined || path.subAttr !== undefined)) {
      throw fault(`Inside "[...]" name a sub-attribute of the filtered attribute on its own, not "${token.text}"`, token.start);
    }
    if (inValue && this.peek().kind === '[') throw fault('A value filter "[...]" cannot contain another one', this.peek().start);
    const inner = this.valueFilter(path, token);
    if (inner === undefined) return this.condition(path, token.text);
    // `emails[type eq "work"].value eq "x"` (sent by Entra ID, outside the RFC grammar) means an element
    // matching both, so it is read as `emails[type eq "work" and value eq "x"]`.
    const subAttr = this.subAttrAfterBracket();
    if (subAttr === undefined) return { kind: 'valuePath', path, filter: inner };
    const condition = this.condition({ attr: subAttr }, `${token.text}[…].${subAttr}`);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: condition } };
  }

  /** `"pr"` or `compareOp SP compValue` after an attribute path. */
  private condition(path: AttrPath, pathText: string): Filter {
    const operator = this.peek();
    if (++this.conditions > MAX_FILTER_CONDITIONS) {
      throw fault(`The ${this.noun} has more conditions than the ${MAX_FILTER_CONDITIONS} this server evaluates in one ${this.noun}: condition ${this.conditions} is`, operator.start);
    }
    const name = operator.kind === 'word' ? lower(operator) : '';
    if (name === 'pr') {
      this.take();
      const next = this.peek();
      if (next.kind === 'string' || next.kind === 'number' || isLiteralWord(next)) {
        throw this.unexpected('The "pr" operator takes no value', next);
      }
      return { kind: 'present', path };
    }
    if (!COMPARE_OPERATORS.has(name)) {
      throw this.unexpected(`Expected a comparison operator (${OPERATOR_LIST}) after "${pathText}"`, operator);
    }
    this.take();
    const op = name as CompareOperator;
    return { kind: 'compare', op, path, value: this.compValue(op, operator) };
  }

  /** `compValue = false / null / true / number / string`, checked against what the operator can compare. */
  private compValue(op: CompareOperator, operator: Token): FilterValue {
    const unquoted = this.unquotedValues ? this.lexer.unquotedValue() : undefined;
    if (unquoted) {
      this.previous = unquoted;
      return unquoted.value;
    }
    const token = this.peek();
    let value: FilterValue;
    if (token.kind === 'string' || token.kind === 'number') value = token.value;
    else if (isLiteralWord(token)) value = lower(token) === 'null' ? null : lower(token) === 'true';
    else {
      throw this.unexpected(`Expected a value (a "quoted string", a number, true, false or null) after "${operator.text}"`, token);
    }
    const ordering = op === 'gt' || op === 'lt' || op === 'ge' || op === 'le';
    const substring = op === 'co' || op === 'sw' || op === 'ew';
    if ((value === null || typeof value === 'boolean') && (ordering || substring)) {
      throw fault(`The "${op}" operator cannot compare with ${token.text}; use eq or ne`, token.start);
    }
    if (typeof value === 'number' && substring) {
      throw fault(`The "${op}" operator compares strings; quote the value ${token.text}`, token.start);
    }
    this.take();
    return value;
  }

  private keyword(word: 'and' | 'or'): boolean {
    const token = this.peek();
    if (token.kind !== 'word' || lower(token) !== word) return false;
    this.take();
    return true;
  }

  private enter(open: Token): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) throw fault(`The ${this.noun} nests more than ${MAX_FILTER_DEPTH} levels deep`, open.start);
  }

  private close(open: Token, kind: ')' | ']'): void {
    const token = this.peek();
    if (token.kind !== kind) {
      const found = `${describe(token, this.noun)}; the "${open.text}" at position ${open.start + 1} is not closed`;
      throw fault(`Expected "and", "or" or "${kind}"`, token.start, found);
    }
    this.take();
    this.depth--;
  }

  private peek(distance = 0): Token {
    return this.lexer.peek(distance);
  }

  private take(): Token {
    this.previous = this.lexer.next();
    return this.previous;
  }

  private unexpected(message: string, token: Token): SyntaxFault {
    return fault(message, token.start, describe(token, this.noun));
  }
}

/** Runs `parse`, turning syntax faults into a 400 ScimError of `scimType`. */
export function withScimErrors<T>(scimType: ScimType, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SyntaxFault) throw ScimError.badRequest(scimType, error.message);
    throw error;
  }
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2). Throws ScimError 400 invalidFilter saying what is
 * wrong and where. `unquotedValues` also reads `externalId eq jyoung` (compat `unquotedFilterValues`).
 */
export function parseFilter(text: string, options: { unquotedValues?: boolean } = {}): Filter {
  if (typeof text !== 'string') throw ScimError.badRequest('invalidFilter', 'The filter must be a string');
  return withScimErrors('invalidFilter', () => new FilterParser(text, 'filter', options).wholeFilter());
}

/** `(` … `)` when `filter` is an `or` nested where the grammar would otherwise regroup it. */
function operand(filter: Filter, wrap: boolean): string {
  const text = formatFilter(filter);
  return wrap ? `(${text})` : text;
}

function formatValue(value: FilterValue): string {
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

/**
 * Canonical filter text: lower-case operators, one space between tokens, parentheses only where the
 * AST needs them, so that `parseFilter(formatFilter(f))` equals `f`.
 */
export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatAttrPath(filter.path)} ${filter.op} ${formatValue(filter.value)}`;
    case 'present':
      return `${formatAttrPath(filter.path)} pr`;
    case 'and':
      return `${operand(filter.left, filter.left.kind === 'or')} and ${operand(filter.right, filter.right.kind === 'or' || filter.right.kind === 'and')}`;
    case 'or':
      return `${formatFilter(filter.left)} or ${operand(filter.right, filter.right.kind === 'or')}`;
    case 'not':
      return `not (${formatFilter(filter.filter)})`;
    case 'valuePath':
      return `${formatAttrPath(filter.path)}[${formatFilter(filter.filter)}]`;
  }
}
