/**
 * Path patterns of `match.path`, over the path below the base path (`/Users/2819c223`, the base
 * itself being `/`), percent-decoded, without its query and trailing slash, case-sensitive:
 *
 * - a segment of plain text matches itself: `/Users`;
 * - `*` matches any characters within one segment, never `/`: `/Users/*` matches `/Users/2819c223`
 *   and `/Users/.search`, not `/Users` nor `/Users/a/b`; `/Users/ada*` matches `/Users/ada@example.com`;
 * - `**`, a whole segment, matches any number of segments, none included: `/Groups/**` matches
 *   `/Groups`, `/Groups/42` and `/Groups/42/x`; `/**` matches every path.
 */

export type PathTest = (path: string) => boolean;

const REGEX_SPECIAL = /[.+?^${}()|[\]\\]/g;

/** The test of `pattern`, or a message saying what is wrong with it. */
export function compilePathPattern(pattern: string): PathTest | { problem: string } {
  if (!pattern.startsWith('/')) return { problem: `must start with "/" (a path below the base path, such as /Users/*), got "${pattern}"` };
  if (/[?#]/.test(pattern)) return { problem: 'must be a path without "?" or "#": put query conditions in match.query' };
  const segments = pattern.replace(/\/+$/, '').split('/').slice(1);
  let source = '';
  for (const segment of segments) {
    if (segment === '**') {
      source += '(?:/[^/]*)*';
      continue;
    }
    if (segment.includes('**')) return { problem: `"**" must be a whole segment (/Groups/**), got "${segment}"` };
    source += `/${segment.replace(REGEX_SPECIAL, '\\$&').replaceAll('*', '[^/]*')}`;
  }
  // The base path itself is "/", or "" once its trailing slash is gone.
  const regex = new RegExp(`^${source}$`);
  return (path) => regex.test(path === '/' ? '' : path);
}

/**
 * The path a pattern is tested against, from a request URL: below `basePath`, decoded, without
 * the query or a trailing slash; the base path itself is `/`. Undefined outside the base path.
 */
export function pathBelow(url: string, basePath: string): string | undefined {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  if (!path.startsWith(basePath)) return undefined;
  const rest = path.slice(basePath.length);
  if (rest !== '' && !rest.startsWith('/')) return undefined;
  const trimmed = rest.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  try {
    return decodeURIComponent(trimmed);
  } catch {
    // Malformed percent-encoding: the server answers 400; the pattern sees the path as sent.
    return trimmed;
  }
}
