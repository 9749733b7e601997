/** A location inside a scenario's data: mapping keys and list indexes, from the top. */
export type DataPath = readonly (string | number)[];

/** `steps[2].expect.status`, `steps[0].expect.body["meta.location"]`; empty for the top level. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** True when `path` is `prefix` or lies inside it. */
export function isWithin(path: DataPath, prefix: DataPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

/** A problem found in a file before its position is known. */
export interface Problem {
  path: DataPath;
  /** Point at the key of the last segment (unknown or misplaced keys) rather than its value. */
  at?: 'key' | 'value';
  /** Where in the string value (or key) the mistake is, when it is a part of it. */
  within?: number;
  message: string;
}
