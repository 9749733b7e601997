import { findKey, isObject } from '../../scim/schema/keys.js';

/**
 * Paths into a JSON body, as scenario files write them (docs/scenario-format.md): `userName`,
 * `name.familyName`, `Resources[0].id`, an extension attribute as SCIM writes it
 * (`urn:…:enterprise:2.0:User:employeeNumber`, RFC 7644 §3.10) or with the schema URN quoted
 * (`["urn:…:enterprise:2.0:User"].employeeNumber`, which also reads the whole extension). A leading
 * `$` or `$.` is accepted and means the body itself.
 */
export type PathSegment = { key: string } | { index: number };

export type Lookup = { found: true; value: unknown } | { found: false };

export class BodyPathError extends Error {
  constructor(path: string, at: number, what: string) {
    super(`body path ${JSON.stringify(path)} is malformed at character ${at + 1}: ${what}`);
    this.name = 'BodyPathError';
  }
}

export function parseBodyPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  if (path === '$' || path.startsWith('$[')) i = 1;
  else if (path.startsWith('$.')) i = 2;
  let expectName = i === 0 || path[i - 1] === '.';
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const quote = path[i + 1];
      if (quote === '"' || quote === "'") {
        let key = '';
        let j = i + 2;
        for (; j < path.length && path[j] !== quote; j++) key += path[j] === '\\' ? (path[++j] ?? '') : path[j];
        if (path[j] !== quote || path[j + 1] !== ']') throw new BodyPathError(path, i, `the quoted name is not closed with ${quote}]`);
        segments.push({ key });
        i = j + 2;
      } else {
        const close = path.indexOf(']', i);
        const digits = close < 0 ? '' : path.slice(i + 1, close);
        if (!/^\d+$/.test(digits)) throw new BodyPathError(path, i, 'expected [index] or ["name"]');
        segments.push({ index: Number(digits) });
        i = close + 1;
      }
      expectName = false;
    } else if (c === '.') {
      if (expectName) throw new BodyPathError(path, i, 'expected an attribute name');
      expectName = true;
      i++;
    } else if (/^urn:/i.test(path.slice(i))) {
      if (!expectName && segments.length > 0) throw new BodyPathError(path, i, 'expected . or [ before a name');
      i = pushUrnPath(path, i, segments);
      expectName = false;
    } else {
      if (!expectName && segments.length > 0) throw new BodyPathError(path, i, 'expected . or [ before a name');
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      segments.push({ key: path.slice(i, j) });
      expectName = false;
      i = j;
    }
  }
  if (expectName && segments.length > 0) throw new BodyPathError(path, path.length - 1, 'expected an attribute name after the dot');
  return segments;
}

/**
 * `urn:…:User:manager.value` at `start`: the schema URN (up to the last colon before any `[`),
 * then the attribute and its sub-attribute. Answers where the rest of the path starts.
 */
function pushUrnPath(path: string, start: number, segments: PathSegment[]): number {
  const bracket = path.indexOf('[', start);
  const end = bracket < 0 ? path.length : bracket;
  const colon = path.lastIndexOf(':', end - 1);
  const names = path.slice(colon + 1, end).split('.');
  // RFC 7644 §3.10 puts an attribute after the URN; a bare schema URN ends `:2.0:User`, its version then its resource type.
  if (names.length === 1 && bracket < 0 && /:\d+(\.\d+)*$/.test(path.slice(start, colon))) {
    const urn = path.slice(start);
    throw new BodyPathError(path, colon + 1, `'${names[0]!}' ends the schema URN, not an attribute: name one after it (${urn}:department), or write ["${urn}"] for the whole extension`);
  }
  let at = colon + 1;
  for (const name of names) {
    if (name === '') throw new BodyPathError(path, at, 'expected an attribute name');
    at += name.length + 1;
  }
  segments.push({ key: path.slice(start, colon) }, ...names.map((key) => ({ key })));
  return end;
}

/** Reads `path` from `body`, matching names ignoring case (RFC 7643 §2.1). Throws BodyPathError for a malformed path. */
export function readPath(body: unknown, path: string | readonly PathSegment[]): Lookup {
  const segments = typeof path === 'string' ? parseBodyPath(path) : path;
  let value = body;
  for (const segment of segments) {
    if ('index' in segment) {
      if (!Array.isArray(value) || segment.index >= value.length) return { found: false };
      value = value[segment.index];
    } else {
      const key = isObject(value) ? findKey(value, segment.key) : undefined;
      if (key === undefined) return { found: false };
      value = (value as Record<string, unknown>)[key];
    }
  }
  return { found: true, value };
}

/** The attribute name a path ends with, if it ends with a name. */
export function lastName(segments: readonly PathSegment[]): string | undefined {
  const last = segments[segments.length - 1];
  return last && 'key' in last ? last.key : undefined;
}
