/** How deep JSON may nest in a request: SCIM resources need four levels; anything far deeper is hostile. */
export const MAX_JSON_DEPTH = 32;

/** Whether `value` nests deeper than `max` levels of objects and arrays. Iterative, so hostile depth cannot overflow the stack. */
export function nestsDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
